import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, signIn, stack, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { seedConversations, seedTag } from "../../../scripts/bench/dashboard-seed";

let x: Tenant;
let y: Tenant;
let agent: Operator;
let stranger: Operator;
const ids: Record<string, string> = {};

beforeAll(async () => {
  [x, y] = await Promise.all([createTenant("Search"), createTenant("Other")]);
  [agent, stranger] = await Promise.all([signIn(x.agent.email, x.agent.password), signIn(y.owner.email, y.owner.password)]);
  const db = database();
  const vip = await seedTag(db, x.workspaceId, "vip-refund");
  const now = Date.now();
  const [refund, olena, old, closed] = await seedConversations(db, x.workspaceId, x.siteId, [
    { name: "Sam Stone", messages: ["Hi", "Hello! How can I help?", "I want my REFUND for order 1042 please, it has been a week"], at: now - 1000 },
    { name: "Олена Коваль", email: "olena@example.com", messages: ["Доброго дня"], at: now - 2000, status: "assigned", assigneeId: x.agent.id },
    { name: "Old Timer", messages: ["refund?"], tagIds: [vip], at: now - 60_000 },
    { name: "Closed Case", email: "closed@shop.test", messages: ["100% sure_thing"], status: "closed", at: now - 3000 },
  ]);
  Object.assign(ids, { refund, olena, old, closed });
  // The same words in another workspace must never show up here.
  await seedConversations(db, y.workspaceId, y.siteId, [{ name: "Sam Stone", email: "olena@example.com", messages: ["refund now"] }]);
});

const search = (by: Operator, q: string) => by.request(`/api/ops/search?q=${encodeURIComponent(q)}`);
const found = async (by: Operator, q: string) => {
  const response = await search(by, q);
  expect(response.status).toBe(200);
  return ((await response.json()) as { results: any[] }).results;
};

describe("search", () => {
  it("finds message text, newest first, with a snippet around the match", async () => {
    const results = await found(agent, "refund");
    expect(results.map((r) => r.conversationId)).toEqual([ids.refund, ids.old]);
    expect(results[0]).toMatchObject({ customer: "Sam Stone", field: "message", status: "queued", snippet: "I want my REFUND for order 1042 please, it has been a week" });
    expect(typeof results[0].lastActivityAt).toBe("number");
    // The tag matched too, but its own message is the better snippet.
    expect(results[1]).toMatchObject({ field: "message", snippet: "refund?" });
  });

  it("finds customer names (any case, Cyrillic too), e-mails and tags, closed conversations included", async () => {
    expect((await found(agent, "олена")).map((r) => [r.conversationId, r.field])).toEqual([[ids.olena, "name"]]);
    expect((await found(agent, "OLENA@EXAMPLE")).map((r) => [r.conversationId, r.field, r.status])).toEqual([[ids.olena, "email", "assigned"]]);
    expect((await found(agent, "vip-ref")).map((r) => [r.conversationId, r.field, r.snippet])).toEqual([[ids.old, "tag", "vip-refund"]]);
    expect((await found(agent, "closed@shop")).map((r) => [r.conversationId, r.status])).toEqual([[ids.closed, "closed"]]);
  });

  it("treats % and _ as plain characters", async () => {
    expect((await found(agent, "100%")).map((r) => r.conversationId)).toEqual([ids.closed]);
    expect((await found(agent, "e_t")).map((r) => r.conversationId)).toEqual([ids.closed]);
    expect(await found(agent, "%%")).toEqual([]);
  });

  it("cuts long messages around the match", async () => {
    const long = `${"a".repeat(300)} needle ${"b".repeat(300)}`;
    const [id] = await seedConversations(database(), x.workspaceId, x.siteId, [{ name: "Long", messages: [long] }]);
    const [hit] = await found(agent, "needle");
    expect(hit.conversationId).toBe(id);
    expect(hit.snippet).toMatch(/^…a+ needle b+…$/);
    expect(hit.snippet.length).toBeLessThan(160);
  });

  it("keeps to the caller's workspace", async () => {
    const theirs = await found(stranger, "refund");
    expect(theirs).toHaveLength(1);
    expect(Object.values(ids)).not.toContain(theirs[0].conversationId);
    expect(await found(stranger, "Доброго")).toEqual([]);
  });

  it("refuses bad queries with a 400 and strangers with a 401", async () => {
    for (const q of ["", "a", " b ", "x".repeat(201)]) {
      const response = await search(agent, q);
      expect(response.status, q).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
    expect((await agent.request("/api/ops/search")).status).toBe(400);
    expect((await agent.request("/api/ops/search?q=a&q=b")).status).toBe(400);
    expect((await fetch(`${stack().url}/api/ops/search?q=refund`)).status).toBe(401);
  });
});
