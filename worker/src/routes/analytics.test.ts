import { newId } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createTenant,
  customerWrites,
  database,
  joinConversation,
  say,
  signIn,
  startVisitor,
  type Operator,
  type Tenant,
  type Visitor,
} from "../../../scripts/test-kit/clients";
import { anonymous, member } from "../../../scripts/test-kit/team-kit";

// The Analytics API through the real Worker and sqld: who may ask, what is
// refused, and that a conversation's life shows up in each view, the
// drill-down, the exports and the live version. The figures themselves are
// checked against hand-computed scenarios in worker/src/analytics/golden*.

let tenant: Tenant;
let owner: Operator;
let agent: Operator;
let other: Tenant;
let stranger: Operator;
const today = () => new Date().toISOString().slice(0, 10);
const range = () => `from=${today()}&to=${today()}`;

const get = async (who: Operator, path: string) => {
  const response = await who.request(`/api/ops/analytics${path}`);
  return { status: response.status, body: (await response.json()) as any };
};

beforeAll(async () => {
  tenant = await createTenant("Analytics");
  owner = await signIn(tenant.owner.email, tenant.owner.password);
  agent = await signIn(tenant.agent.email, tenant.agent.password);
  other = await createTenant("Elsewhere");
  stranger = await signIn(other.owner.email, other.owner.password);
});

describe("who may ask", () => {
  it("refuses operators below supervisor, and anyone signed out", async () => {
    expect((await get(agent, `/speed?${range()}`)).status).toBe(403);
    expect((await get(agent, "/version")).status).toBe(403);
    expect((await anonymous(`/api/ops/analytics/speed?${range()}`)).status).toBe(401);
  });

  it("lets a supervisor read but only an admin change the settings", async () => {
    const supervisor = await member(tenant, "supervisor");
    expect((await get(supervisor, `/speed?${range()}`)).status).toBe(200);
    const put = await supervisor.request("/api/ops/analytics/settings", { method: "PUT", body: JSON.stringify({ timeZone: "Europe/Kyiv" }) });
    expect(put.status).toBe(403);
    const admin = await member(tenant, "admin");
    const allowed = await admin.request("/api/ops/analytics/settings", { method: "PUT", body: JSON.stringify({ handoffWarnPoints: 15 }) });
    expect(await allowed.json()).toEqual({ timeZone: "UTC", handoffWarnPoints: 15 });
  });
});

describe("bad input", () => {
  it.each([
    ["/speed", "from"],
    [`/speed?from=2026-02-30&to=2026-03-01`, "not a calendar date"],
    [`/speed?from=2026-13-01&to=2026-03-01`, "not a calendar date"],
    [`/speed?from=2026-03-02&to=2026-03-01`, "from must not be after to"],
    [`/speed?from=2024-01-01&to=2026-03-01`, "at most 731 days"],
    [`/latency?${"from=2026-03-01&to=2026-03-01"}`, "unknown metric"],
    [`/speed?from=2026-03-01&to=2026-03-01&groupBy=year`, "groupBy"],
    [`/speed?from=2026-03-01&to=2026-03-01&group=nope`, "id is not valid"],
    [`/speed?from=2026-03-01&to=2026-03-01&channel=fax`, "unknown channel"],
    [`/drill?from=2026-03-01&to=2026-03-01&drill=drop%20table`, "drill"],
  ])("%s → 400 (%s)", async (path, message) => {
    const { status, body } = await get(owner, path);
    expect(status).toBe(400);
    expect(body.error.message).toContain(message);
  });

  it("answers a filter naming another workspace's group, operator, site or tag with 404", async () => {
    const [foreignGroup] = await database().all<{ id: string }>(sql`SELECT ${newId()} AS id`);
    for (const filter of [`operator=${other.ownerId}`, `site=${other.siteId}`, `group=${foreignGroup!.id}`, `tag=${newId()}`]) {
      const { status, body } = await get(owner, `/speed?${range()}&${filter}`);
      expect(status, filter).toBe(404);
      expect(body.error.message).toMatch(/in this workspace/);
    }
    expect((await get(owner, `/drill?${range()}&drill=alone&operator=${other.ownerId}`)).status).toBe(404);
    expect((await owner.request(`/api/ops/analytics/export/conversations.csv?${range()}&site=${other.siteId}`)).status).toBe(404);
  });

  it("rejects a time zone that does not exist", async () => {
    const put = await owner.request("/api/ops/analytics/settings", { method: "PUT", body: JSON.stringify({ timeZone: "Mars/Olympus" }) });
    expect(put.status).toBe(400);
    expect(((await put.json()) as any).error.message).toContain("time zone");
  });
});

describe("a conversation's life in the views", () => {
  let id = "";
  let before = 0;
  let customer: Visitor;

  it("moves the live version with every event", async () => {
    before = (await get(owner, "/version")).body.version;
    const ticket = await customerWrites(tenant.publicKey, "позовите оператора пожалуйста");
    id = ticket.id;
    customer = ticket.visitor;
    const after = (await get(owner, "/version")).body.version;
    expect(after).toBeGreaterThan(before);
    // Another workspace's events are not this one's.
    const theirs = (await get(stranger, "/version")).body.version;
    await customerWrites(other.publicKey, "hello");
    expect((await get(owner, "/version")).body.version).toBe(after);
    expect((await get(stranger, "/version")).body.version).toBeGreaterThan(theirs);
  });

  it("counts the hand-off, the claim and the first reply, and filters by operator", async () => {
    expect((await owner.request(`/api/ops/conversations/${id}/claim`, { method: "POST" })).status).toBe(200);
    const room = await joinConversation(id, { cookie: owner.cookie });
    expect((await say(room, "Hello, I am here")).type).toBe("ack");
    await room.close();
    const rows = await database().all<{ kind: string; n: number }>(
      sql`SELECT type AS kind, COUNT(*) AS n FROM events WHERE conversation_id = ${id} GROUP BY type ORDER BY type`,
    );
    expect(rows.map((r) => r.kind)).toEqual(expect.arrayContaining(["created", "escalated", "claimed", "first_reply"]));

    const speed = (await get(owner, `/speed?${range()}`)).body;
    expect(speed.current.firstResponse.n).toBe(1);
    expect(speed.current.firstResponse.histogram.reduce((a: number, b: number) => a + b, 0)).toBe(1);
    expect(speed.current.queueWait.n).toBe(1);
    expect(speed.current.abandoned).toMatchObject({ waited: 1, left: 0, share: 0 });
    expect(speed.timeZone).toBe("UTC");

    // A workspace without a knowledge base has no bot: the hand-off is people's work from the start.
    const automation = (await get(owner, `/automation?${range()}`)).body.current;
    expect(automation).toMatchObject({ withBot: 0, handedOff: 0, resolvedAlone: 0 });
    const loadAnswer = await get(owner, `/load?${range()}`);
    expect(loadAnswer.status, JSON.stringify(loadAnswer.body)).toBe(200);
    const load = loadAnswer.body.current;
    expect(load).toMatchObject({ started: [1], escalated: [1], closed: [0] });
    expect(load.heatmap.flat().reduce((a: number, b: number) => a + b, 0)).toBe(1);

    // The operator filter keeps it; the other operator's does not.
    expect((await get(owner, `/speed?${range()}&operator=${owner.id}`)).body.current.firstResponse.n).toBe(1);
    expect((await get(owner, `/speed?${range()}&operator=${tenant.agent.id}`)).body.current.firstResponse.n).toBe(0);

    const drill = (await get(owner, `/drill?${range()}&drill=metric:firstResponse`)).body;
    expect(drill.rows.map((r: any) => r.id)).toEqual([id]);
    expect(drill.rows[0]).toMatchObject({ operator: tenant.owner.name, status: "assigned", channel: "web" });
    expect(drill.next).toBeNull();
  });

  it("logs a reply time from the first of several waiting customer messages, and the sentiment words", async () => {
    const theirs = await joinConversation(id, { token: customer.token }, 100);
    const first = await say(theirs, "Спасибо, но доставка ужасная");
    await say(theirs, "и ещё вопрос: спасибо заранее");
    const ours = await joinConversation(id, { cookie: owner.cookie }, 100);
    await say(ours, "Answering both");
    await say(ours, "And one more line, answering nothing new");
    await Promise.all([theirs.close(), ours.close()]);

    const replies = await database().all<{ data: string }>(sql`SELECT data FROM events WHERE conversation_id = ${id} AND type = 'replied'`);
    expect(replies.map((r) => JSON.parse(r.data))).toEqual([{ seq: first.seq }]);
    const [row] = await database().all<{ words: string; count: number }>(
      sql`SELECT sentiment_words AS words, sentiment_count AS count FROM conversations WHERE id = ${id}`,
    );
    expect(JSON.parse(row!.words)).toEqual({ "+спасибо": 2, "-ужасная": 1 });
    expect(row!.count).toBe(2);

    expect((await get(owner, `/speed?${range()}`)).body.current.replyTime.n).toBe(1);
    const words = (await get(owner, `/satisfaction?${range()}`)).body.current.sentiment.words;
    expect(words).toEqual([
      { word: "спасибо", sign: 1, count: 2 },
      { word: "ужасная", sign: -1, count: 1 },
    ]);
  });

  it("drills into a sentiment word, a rating, resolved and CSAT with a person", async () => {
    expect((await owner.request(`/api/ops/conversations/${id}/close`, { method: "POST" })).status).toBe(200);
    const rated = await customer.request(`/api/widget/conversations/${id}/rating`, { method: "POST", body: JSON.stringify({ resolved: true, rating: 5 }) });
    expect(rated.status).toBe(200);
    const rows = async (drill: string) => {
      const answer = await get(owner, `/drill?${range()}&drill=${encodeURIComponent(drill)}`);
      expect(answer.status, `${drill}: ${JSON.stringify(answer.body)}`).toBe(200);
      return answer.body.rows.map((r: { id: string }) => r.id);
    };
    expect(await rows("word:+спасибо")).toEqual([id]);
    expect(await rows("word:-спасибо")).toEqual([]);
    expect(await rows("rating:5")).toEqual([id]);
    expect(await rows("resolved:yes")).toEqual([id]);
    expect(await rows("resolved:no")).toEqual([]);
    expect(await rows("csat:person")).toEqual([id]);
    expect(await rows("csat:alone")).toEqual([]);
    expect(await rows(`series:closed:${today()}`)).toEqual([id]);
    // No bot in this workspace: nothing with the bot to drill into.
    expect(await rows(`trend:withBot:${today()}`)).toEqual([]);
    expect(await rows("handed")).toEqual([]);
    expect((await get(owner, `/drill?${range()}&drill=${encodeURIComponent("word:<b>")}`)).status).toBe(400);
  });

  it("streams the conversation and contact exports as CSV with the filters applied", async () => {
    const response = await owner.request(`/api/ops/analytics/export/conversations.csv?${range()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toContain("attachment");
    const lines = (await response.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toContain("first_response_s");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(id);
    const contacts = (await (await owner.request(`/api/ops/analytics/export/contacts.csv?${range()}`)).text()).trim().split("\r\n");
    expect(contacts).toHaveLength(2);
    expect(contacts[0]).toContain("last_contact");
  });

  it("keeps a customer's text from becoming a spreadsheet formula", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const conversation = await visitor.createConversation({ url: "https://shop.example/", title: "=HYPERLINK(\"http://evil\")" });
    const text = await (await owner.request(`/api/ops/analytics/export/conversations.csv?${range()}`)).text();
    const line = text.split("\r\n").find((l) => l.startsWith(conversation))!;
    expect(line).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});
