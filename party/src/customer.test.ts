import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { conversations, events, pageViews } from "../../worker/src/db/schema";
import {
  createTenant,
  customerWrites,
  database,
  joinConversation,
  say,
  signIn,
  startVisitor,
  until,
  type Operator,
  type Tenant,
} from "../../scripts/test-kit/clients";

// The room side of the customer widget (issue 3): live page, read marks,
// "talk to an operator" and the queue place.

let tenant: Tenant;
let agent: Operator;

beforeAll(async () => {
  tenant = await createTenant("Widget rooms");
  agent = await signIn(tenant.agent.email, tenant.agent.password);
});

async function conversationRow(id: string) {
  const [row] = await database().select().from(conversations).where(eq(conversations.id, id));
  return row;
}

async function trail(id: string) {
  return database().select().from(pageViews).where(eq(pageViews.conversationId, id)).orderBy(pageViews.at);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the room has handled everything this socket sent before: it answers frames in order. */
async function settle(socket: Awaited<ReturnType<typeof joinConversation>>) {
  const from = socket.frames.length;
  socket.send({ type: "resume", after: 1_000_000 });
  await socket.next((f) => f.type === "conversation", { from });
}

describe("live current page (W3)", () => {
  it("stores the page, shows it to operators only, and skips a repeat", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    const operator = await joinConversation(id, { cookie: agent.cookie });

    customer.send({ type: "page", url: "https://shop.example/pricing", title: "Pricing" });
    const page = await operator.next((f) => f.type === "page");
    expect(page).toMatchObject({ url: "https://shop.example/pricing", title: "Pricing" });
    expect(page.at).toBeGreaterThan(0);

    await pause(1100);
    // A reconnect says the same page again: not a new step of the trail.
    customer.send({ type: "page", url: "https://shop.example/pricing", title: "Pricing" });
    await settle(customer);
    await pause(1100);
    customer.send({ type: "page", url: "https://shop.example/checkout" });
    await operator.next((f) => f.type === "page" && f.url === "https://shop.example/checkout");

    const rows = await trail(id);
    expect(rows.map((r) => [r.url, r.title, r.visitorId, r.workspaceId])).toEqual([
      ["https://shop.example/pricing", "Pricing", visitor.visitorId, tenant.workspaceId],
      ["https://shop.example/checkout", null, visitor.visitorId, tenant.workspaceId],
    ]);
    expect(operator.frames.filter((f) => f.type === "page")).toHaveLength(2);
    expect(customer.frames.some((f) => f.type === "page")).toBe(false);

    // An operator who opens the conversation later learns where the customer is now.
    const late = await joinConversation(id, { cookie: agent.cookie });
    expect(late.frames.find((f) => f.type === "page")).toMatchObject({ url: "https://shop.example/checkout", title: null });

    // And the dashboard's details carry the trail, newest first.
    const detail = await agent.request(`/api/ops/conversations/${id}`);
    const body = (await detail.json()) as { trail: Array<{ url: string }> };
    expect(body.trail.map((p) => p.url)).toEqual(["https://shop.example/checkout", "https://shop.example/pricing"]);
    await Promise.all([customer.close(), operator.close(), late.close()]);
  });

  it("takes at most one page a second, and of those that came too soon, the latest", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    const operator = await joinConversation(id, { cookie: agent.cookie });
    for (let i = 0; i < 20; i++) customer.send({ type: "page", url: `https://shop.example/p${i}` });
    await settle(customer);
    expect((await trail(id)).map((r) => r.url)).toEqual(["https://shop.example/p0"]);
    // Where the customer really is arrives once the second is over.
    await operator.next((f) => f.type === "page" && f.url === "https://shop.example/p19", { timeoutMs: 3000 });
    await pause(1200);
    expect((await trail(id)).map((r) => r.url)).toEqual(["https://shop.example/p0", "https://shop.example/p19"]);
    expect(operator.frames.filter((f) => f.type === "page").map((f) => f.url)).toEqual([
      "https://shop.example/p0",
      "https://shop.example/p19",
    ]);
    expect(customer.frames.some((f) => f.type === "error")).toBe(false);
    await Promise.all([customer.close(), operator.close()]);
  });

  it("refuses bad page frames, and page frames from operators", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    const operator = await joinConversation(id, { cookie: agent.cookie });
    const bad: Array<[unknown, RegExp]> = [
      [{ type: "page" }, /url/],
      [{ type: "page", url: "" }, /url: Invalid length/],
      [{ type: "page", url: `https://shop.example/${"x".repeat(2048)}` }, /url: .*<=2048/],
      [{ type: "page", url: "https://shop.example/", title: "t".repeat(513) }, /title: .*<=512/],
      [{ type: "page", url: 42 }, /url/],
    ];
    for (const [frame, message] of bad) {
      const from = customer.frames.length;
      customer.send(frame);
      const error = await customer.next((f) => f.type === "error", { from });
      expect(error).toMatchObject({ code: "bad_frame" });
      expect(error.message).toMatch(message);
    }
    const from = operator.frames.length;
    operator.send({ type: "page", url: "https://evil.example/" });
    const error = await operator.next((f) => f.type === "error", { from });
    expect(error).toMatchObject({ code: "bad_frame", message: "only the customer sends page frames" });
    expect(await trail(id)).toEqual([]);
    await Promise.all([customer.close(), operator.close()]);
  });
});

describe("read marks (W9)", () => {
  it("keeps the highest seq each side read, capped at the last message, and tells both sides", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    const operator = await joinConversation(id, { cookie: agent.cookie });
    await say(customer, "one");
    await say(customer, "two");
    await say(operator, "hello");
    // claim's system message is seq 3, the reply seq 4.

    operator.send({ type: "read", seq: 2 });
    expect(await customer.next((f) => f.type === "read")).toEqual({ type: "read", by: "operator", seq: 2 });
    await operator.next((f) => f.type === "read" && f.by === "operator");

    let from = customer.frames.length;
    customer.send({ type: "read", seq: 99 });
    expect(await operator.next((f) => f.type === "read" && f.by === "visitor")).toEqual({ type: "read", by: "visitor", seq: 4 });
    await customer.next((f) => f.type === "read" && f.by === "visitor", { from });

    // Lower or equal marks change nothing and say nothing (to a third socket that stays quiet itself).
    const observer = await joinConversation(id, { cookie: agent.cookie });
    from = observer.frames.length;
    operator.send({ type: "read", seq: 1 });
    customer.send({ type: "read", seq: 4 });
    await settle(operator);
    await settle(customer);
    await pause(100);
    expect(observer.frames.slice(from).filter((f) => f.type === "read")).toEqual([]);

    // Stored a moment later (or with the room's next write): a write per mark would cost one per message read.
    await until(async () => (await conversationRow(id)).visitorReadSeq === 4, 10_000, () => "the visitor's mark was not stored");
    const row = await conversationRow(id);
    expect([row.visitorReadSeq, row.operatorReadSeq, row.lastSeq]).toEqual([4, 2, 4]);

    // Someone who (re)connects starts with the marks.
    const back = await joinConversation(id, { token: visitor.token }, 4);
    expect(back.frames.filter((f) => f.type === "read")).toEqual([
      { type: "read", by: "visitor", seq: 4 },
      { type: "read", by: "operator", seq: 2 },
    ]);
    await Promise.all([customer.close(), operator.close(), back.close(), observer.close()]);
  });

  it("refuses a bad read frame", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    for (const frame of [{ type: "read" }, { type: "read", seq: -1 }, { type: "read", seq: 1.5 }, { type: "read", seq: "3" }]) {
      const from = customer.frames.length;
      customer.send(frame);
      expect(await customer.next((f) => f.type === "error", { from })).toMatchObject({ code: "bad_frame" });
    }
    expect((await conversationRow(id)).visitorReadSeq).toBe(0);
    await customer.close();
  });
});

describe("talk to an operator (W6)", () => {
  it("moves a bot conversation to the queue, logs why, and tells everyone", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    const operator = await joinConversation(id, { cookie: agent.cookie });
    customer.send({ type: "escalate" });
    const queued = await customer.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    expect(queued.conversation).toMatchObject({ id, status: "queued", assignee: null });
    expect(queued.conversation.queuePosition).toBeGreaterThanOrEqual(1);
    await operator.next((f) => f.type === "conversation" && f.conversation.status === "queued");

    // Again, and from the queue: nothing happens, and it is not an error.
    const from = customer.frames.length;
    customer.send({ type: "escalate" });
    await settle(customer);
    expect(customer.frames.slice(from).some((f) => f.type === "error")).toBe(false);

    const log = await database().select().from(events).where(eq(events.conversationId, id)).orderBy(events.id);
    expect(log.map((e) => [e.type, e.actorKind])).toEqual([
      ["created", "visitor"],
      ["escalated", "visitor"],
      ["routed", "system"],
    ]);
    expect(log[1].data).toEqual({ reason: "customer asked" });
    expect(log[2].data).toEqual({ operatorId: null, groupId: null, reason: "queued for anyone: no group" });
    expect(log[1].actorId).toBe(visitor.visitorId);
    await Promise.all([customer.close(), operator.close()]);
  });

  it("is a no-op once an operator has it, and refused from operators", async () => {
    const { id, visitor } = await customerWrites(tenant.publicKey);
    const claimed = await agent.request(`/api/ops/conversations/${id}/claim`, { method: "POST" });
    expect(claimed.status).toBe(200);
    const customer = await joinConversation(id, { token: visitor.token });
    customer.send({ type: "escalate" });
    await settle(customer);
    expect((await conversationRow(id)).status).toBe("assigned");

    const operator = await joinConversation(id, { cookie: agent.cookie });
    operator.send({ type: "escalate" });
    expect(await operator.next((f) => f.type === "error")).toMatchObject({ code: "bad_frame", message: "only the customer sends escalate frames" });
    const escalations = await database()
      .select()
      .from(events)
      .where(and(eq(events.conversationId, id), eq(events.type, "escalated")));
    expect(escalations).toHaveLength(1);
    await Promise.all([customer.close(), operator.close()]);
  });
});

describe("queue position (W7)", () => {
  it("counts the queue of the workspace and moves a waiting customer up live", async () => {
    // A workspace of its own, so that no other test's queue counts.
    const shop = await createTenant("Queue");
    const owner = await signIn(shop.owner.email, shop.owner.password);
    const first = await customerWrites(shop.publicKey, "first in line");
    const second = await customerWrites(shop.publicKey, "second in line");
    const third = await customerWrites(shop.publicKey, "third in line");

    const waiting = await joinConversation(second.id, { token: second.visitor.token });
    const last = await joinConversation(third.id, { token: third.visitor.token });
    expect(waiting.frames.find((f) => f.type === "conversation")!.conversation).toMatchObject({ status: "queued", queuePosition: 2 });
    expect(last.frames.find((f) => f.type === "conversation")!.conversation.queuePosition).toBe(3);

    const claimed = await owner.request(`/api/ops/conversations/${first.id}/claim`, { method: "POST" });
    expect(claimed.status).toBe(200);
    expect(((await claimed.json()) as { conversation: { queuePosition: unknown } }).conversation.queuePosition).toBeNull();
    const moved = await waiting.next((f) => f.type === "conversation" && f.conversation.queuePosition === 1);
    expect(moved.conversation).toMatchObject({ id: second.id, status: "queued" });
    await last.next((f) => f.type === "conversation" && f.conversation.queuePosition === 2);

    // Closing a waiting conversation moves those behind it too.
    const closed = await second.visitor.request(`/api/widget/conversations/${second.id}/close`, { method: "POST" });
    expect(closed.status).toBe(200);
    await last.next((f) => f.type === "conversation" && f.conversation.queuePosition === 1);
    const final = await waiting.next((f) => f.type === "conversation" && f.conversation.status === "closed");
    expect(final.conversation.queuePosition).toBeNull();

    // A customer who was away reads the place afresh on return.
    await last.close();
    const another = await customerWrites(shop.publicKey, "fourth");
    const back = await joinConversation(another.id, { token: another.visitor.token });
    expect(back.frames.find((f) => f.type === "conversation")!.conversation.queuePosition).toBe(2);
    await Promise.all([waiting.close(), back.close()]);
  });

  it("leaves other workspaces' queues out", async () => {
    const one = await createTenant("Queue one");
    const two = await createTenant("Queue two");
    await customerWrites(one.publicKey);
    const mine = await customerWrites(two.publicKey);
    const socket = await joinConversation(mine.id, { token: mine.visitor.token });
    expect(socket.frames.find((f) => f.type === "conversation")!.conversation.queuePosition).toBe(1);
    await socket.close();
  });
});

