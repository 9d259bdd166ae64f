import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { UnansweredGroup } from "@tandem/protocol";
import { botTenant } from "../../../scripts/test-kit/bot-kit";
import { database, joinConversation, say, signIn, startVisitor, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { json, member } from "../../../scripts/test-kit/team-kit";
import demo from "../bot/demo/knowledge-base.json";
import { ANSWER_THRESHOLD } from "../bot/matcher";
import { intentPhrasings, intents, unanswered, workspaces } from "../db/schema";

// The unanswered questions list (B5) on the real stack: customers ask the bot
// what it cannot answer, the list groups them, an admin adds one to an intent
// and the next customer asking the same gets that intent's answer.

let x: Tenant;
let y: Tenant;
let owner: Operator;
let admin: Operator;
let operator: Operator;
let stranger: Operator;

const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;
const list = async (by: Operator) => {
  const response = await by.request("/api/ops/unanswered");
  expect(response.status).toBe(200);
  return ((await response.json()) as { groups: UnansweredGroup[] }).groups;
};
const texts = (groups: UnansweredGroup[]) => groups.map((g) => g.questions.map((q) => q.text));
const intentId = async (tenant: Tenant, key: string) =>
  (await database().select({ id: intents.id }).from(intents).where(and(eq(intents.workspaceId, tenant.workspaceId), eq(intents.key, key))))[0].id;
const version = async (tenant: Tenant) =>
  (await database().select({ v: workspaces.knowledgeVersion }).from(workspaces).where(eq(workspaces.id, tenant.workspaceId)))[0].v;

/** A customer asks the bot once; resolves with the bot's reply and where the conversation went. */
async function customerAsks(tenant: Tenant, text: string) {
  const visitor = await startVisitor(tenant.publicKey);
  const id = await visitor.createConversation();
  const socket = await joinConversation(id, { token: visitor.token });
  const from = socket.frames.length;
  await say(socket, text);
  const reply = await socket.next((f) => f.type === "message" && f.message.authorKind === "bot", { from });
  // The conversation frame that follows a hand-over; a bot answer leaves it with the bot.
  await new Promise((r) => setTimeout(r, 300));
  const states = socket.frames.slice(from).filter((f) => f.type === "conversation").map((f) => f.conversation.status as string);
  await socket.close();
  return { id, body: reply.message.body as string, status: states.at(-1) ?? "bot" };
}

beforeAll(async () => {
  [x, y] = await Promise.all([botTenant("Unanswered"), botTenant("Unanswered other")]);
  owner = await signIn(x.owner.email, x.owner.password);
  [admin, operator] = await Promise.all([member(x, "admin"), member(x, "operator")]);
  stranger = await signIn(y.owner.email, y.owner.password);
});

describe("unanswered questions API", () => {
  it("lists what the bot could not answer, grouped by similarity, newest group first, with a suggestion", async () => {
    const first = await customerAsks(x, "вы продаёте оптом?");
    expect(first.status).toBe("queued");
    await customerAsks(x, "Продаёте ли вы товары оптом?");
    const mars = await customerAsks(x, "а вы продаёте билеты на Марс?");
    expect(mars.status).toBe("queued");

    const groups = await list(operator);
    expect(texts(groups)).toEqual([["а вы продаёте билеты на Марс?"], ["Продаёте ли вы товары оптом?", "вы продаёте оптом?"]]);
    const [marsGroup, wholesale] = groups;
    expect(marsGroup).toMatchObject({ id: marsGroup.questions[0].id, size: 1 });
    expect(marsGroup.questions[0]).toMatchObject({ lang: "ru", reason: "low_confidence", conversationId: mars.id });
    expect(wholesale).toMatchObject({ id: wholesale.questions[0].id, size: 2 });
    expect(wholesale.questions[1]).toMatchObject({ text: "вы продаёте оптом?", conversationId: first.id });
    expect(wholesale.questions[0].at).toBeGreaterThanOrEqual(wholesale.questions[1].at);
    // The matcher's best guess, too unsure for the bot to answer with.
    const names = new Set(demo.intents.map((i) => i.name));
    expect(names.has(wholesale.suggestion!.name)).toBe(true);
    expect(wholesale.suggestion!.confidence).toBeLessThan(ANSWER_THRESHOLD);

    // Another workspace's list has none of them.
    expect(await list(stranger)).toEqual([]);
  });

  it("adds a question as a phrasing, and the next customer asking the same gets that intent's answer", async () => {
    const groups = await list(admin);
    const wholesale = groups.find((g) => g.size === 2)!;
    const discounts = await intentId(x, "discounts");
    const v0 = await version(x);

    // Only admins and owners change the knowledge base; another workspace's ids are 404.
    expect((await operator.request(`/api/ops/unanswered/${wholesale.id}/add`, json("POST", { intentId: discounts }))).status).toBe(403);
    expect((await stranger.request(`/api/ops/unanswered/${wholesale.id}/add`, json("POST", { intentId: await intentId(y, "discounts") }))).status).toBe(404);
    const foreignIntent = await admin.request(`/api/ops/unanswered/${wholesale.id}/add`, json("POST", { intentId: await intentId(y, "discounts") }));
    expect(foreignIntent.status).toBe(404);
    expect((await errorOf(foreignIntent)).message).toBe("no such intent");
    expect((await admin.request(`/api/ops/unanswered/NOPE/add`, json("POST", { intentId: discounts }))).status).toBe(404);
    // Bad bodies: 400 with the problem named.
    const missing = await admin.request(`/api/ops/unanswered/${wholesale.id}/add`, json("POST", {}));
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toMatch(/intentId/);
    expect((await admin.request(`/api/ops/unanswered/${wholesale.id}/add`, json("POST", { intentId: discounts, all: "yes" }))).status).toBe(400);
    expect((await admin.request(`/api/ops/unanswered/${wholesale.id}/add`, { method: "POST", body: "{" })).status).toBe(400);
    expect(await version(x)).toBe(v0);

    // One question of the group: the other stays listed.
    const lead = wholesale.questions[1];
    const added = await admin.request(`/api/ops/unanswered/${lead.id}/add`, json("POST", { intentId: discounts }));
    expect(added.status).toBe(200);
    expect(await added.json()).toEqual({ handled: [lead.id] });
    expect(await version(x)).toBe(v0 + 1);
    const stored = await database().select().from(intentPhrasings).where(and(eq(intentPhrasings.intentId, discounts), eq(intentPhrasings.text, lead.text)));
    expect(stored).toMatchObject([{ lang: "ru", source: "unanswered" }]);
    const [row] = await database().select().from(unanswered).where(eq(unanswered.id, lead.id));
    expect(row.intentId).toBe(discounts);
    expect(row.handledAt).toBeGreaterThan(0);
    expect(texts(await list(admin))).toEqual([["а вы продаёте билеты на Марс?"], ["Продаёте ли вы товары оптом?"]]);

    const again = await admin.request(`/api/ops/unanswered/${lead.id}/add`, json("POST", { intentId: discounts }));
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe("already_handled");

    // The bot uses it at once: the same question is now answered with the intent's answer, not handed over.
    const next = await customerAsks(x, "вы продаёте оптом?");
    expect(next.body).toBe(demo.intents.find((i) => i.key === "discounts")!.answer.ru);
    expect(next.status).toBe("bot");
    expect(texts(await list(admin))).toEqual([["а вы продаёте билеты на Марс?"], ["Продаёте ли вы товары оптом?"]]);
  });

  it("adds a whole group at once", async () => {
    const one = await customerAsks(x, "Do you sell tickets to Mars?");
    expect(one.status).toBe("queued");
    await customerAsks(x, "do you sell tickets to mars");
    const groups = await list(owner);
    const pair = groups.find((g) => g.questions.some((q) => q.conversationId === one.id))!;
    expect(pair.size).toBe(2);
    const contacts = await intentId(x, "contacts");
    const added = await owner.request(`/api/ops/unanswered/${pair.id}/add`, json("POST", { intentId: contacts, all: true }));
    expect(added.status).toBe(200);
    expect(((await added.json()) as { handled: string[] }).handled.sort()).toEqual(pair.questions.map((q) => q.id).sort());
    const rows = await database().select().from(unanswered).where(inArray(unanswered.id, pair.questions.map((q) => q.id)));
    expect(rows.map((r) => r.intentId)).toEqual([contacts, contacts]);
    // One phrasing, the lead's text: the others were its near-duplicates.
    const stored = await database().select().from(intentPhrasings).where(and(eq(intentPhrasings.intentId, contacts), eq(intentPhrasings.source, "unanswered")));
    expect(stored.map((p) => p.text)).toEqual([pair.questions[0].text]);
    expect((await list(owner)).some((g) => g.id === pair.id)).toBe(false);
  });

  it("dismisses a question or its group without touching the knowledge base", async () => {
    const groups = await list(admin);
    const mars = groups.find((g) => g.questions[0].text === "а вы продаёте билеты на Марс?")!;
    const v0 = await version(x);
    expect((await operator.request(`/api/ops/unanswered/${mars.id}/dismiss`, json("POST", {}))).status).toBe(403);
    expect((await stranger.request(`/api/ops/unanswered/${mars.id}/dismiss`, json("POST", {}))).status).toBe(404);
    expect((await admin.request(`/api/ops/unanswered/${mars.id}/dismiss`, json("POST", { all: 1 }))).status).toBe(400);
    const dismissed = await admin.request(`/api/ops/unanswered/${mars.id}/dismiss`, json("POST", { all: true }));
    expect(dismissed.status).toBe(200);
    expect(await dismissed.json()).toEqual({ handled: [mars.id] });
    const [row] = await database().select().from(unanswered).where(eq(unanswered.id, mars.id));
    expect(row).toMatchObject({ intentId: null });
    expect(row.handledAt).toBeGreaterThan(0);
    expect(await version(x)).toBe(v0);
    expect((await list(admin)).some((g) => g.id === mars.id)).toBe(false);
    expect((await admin.request(`/api/ops/unanswered/${mars.id}/dismiss`, json("POST", {}))).status).toBe(409);
    expect((await admin.request(`/api/ops/unanswered/${mars.id}/add`, json("POST", { intentId: await intentId(x, "contacts") }))).status).toBe(409);
  });

  it("is for signed-in operators only", async () => {
    const { stack } = await import("../../../scripts/test-kit/clients");
    expect((await fetch(`${stack().url}/api/ops/unanswered`)).status).toBe(401);
  });
});
