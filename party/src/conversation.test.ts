import { MAX_BODY_LENGTH, newId } from "@tandem/protocol";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { conversations, events, messages, sites } from "../../worker/src/db/schema";
import {
  createTenant,
  database,
  joinConversation,
  say,
  signIn,
  stack,
  startVisitor,
  TestSocket,
  type Operator,
  type Tenant,
} from "../../scripts/test-kit/clients";

let tenant: Tenant;
let agent: Operator;

beforeAll(async () => {
  tenant = await createTenant("Rooms");
  agent = await signIn(tenant.agent.email, tenant.agent.password);
});

async function storedMessages(conversationId: string) {
  return database().select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq);
}

describe("Conversation room: the message path", () => {
  it("acks only after the commit, then broadcasts to the other side", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    const operator = await joinConversation(id, { cookie: agent.cookie });

    const clientMsgId = newId();
    const ack = await say(customer, "Where is my order #123?", clientMsgId);
    expect(ack).toMatchObject({ type: "ack", seq: 1 });
    // The ack came back, so the row must already be committed.
    const [row] = await database().select().from(messages).where(eq(messages.clientMsgId, clientMsgId));
    expect(row).toMatchObject({ seq: 1, body: "Where is my order #123?", authorKind: "visitor", authorId: visitor.visitorId });

    const received = await operator.next((f) => f.type === "message");
    expect(received.message).toMatchObject({ seq: 1, clientMsgId, body: "Where is my order #123?", authorKind: "visitor" });
    // The sender gets the ack, not an echo of its own message: by the next ack, an echo would have come.
    await say(customer, "and a second line");
    expect(customer.frames.filter((f) => f.type === "message")).toHaveLength(0);
    await customer.close();
    await operator.close();
  });

  it("acks a repeated clientMsgId with the original seq and stores it once", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    const clientMsgId = newId();
    const first = await say(customer, "hello", clientMsgId);
    await say(customer, "something else");
    const again = await say(customer, "hello", clientMsgId);
    expect(again).toMatchObject({ type: "ack", seq: first.seq });
    const rows = await storedMessages(id);
    expect(rows.map((r) => [r.seq, r.body])).toEqual([
      [1, "hello"],
      [2, "something else"],
    ]);
    await customer.close();
  });

  it("replays only what comes after the seq a client already has", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    for (const body of ["one", "two", "three", "four"]) await say(customer, body);
    await customer.close();

    const back = await joinConversation(id, { token: visitor.token }, 2);
    const history = back.frames.find((f) => f.type === "history")!;
    expect(history.messages.map((m: { seq: number; body: string }) => [m.seq, m.body])).toEqual([
      [3, "three"],
      [4, "four"],
    ]);
    await back.close();
  });

  it("puts the conversation in the queue on the customer's first message and logs it", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const [before] = await database().select().from(conversations).where(eq(conversations.id, id));
    expect(before.status).toBe("bot");

    const customer = await joinConversation(id, { token: visitor.token });
    await say(customer, "I need a human");
    const state = await customer.next((f) => f.type === "conversation" && (f.conversation as { status: string }).status === "queued");
    expect(state.conversation).toMatchObject({ status: "queued", assignee: null });

    const [after] = await database().select().from(conversations).where(eq(conversations.id, id));
    expect(after.status).toBe("queued");
    expect(after.escalatedAt).toBeGreaterThan(0);
    const log = await database().select().from(events).where(eq(events.conversationId, id)).orderBy(events.id);
    expect(log.map((e) => e.type)).toEqual(["created", "escalated", "routed"]);
    // Which queue it waits in, and why: this workspace has no groups.
    expect(log[2]).toMatchObject({ actorKind: "system", data: { operatorId: null, groupId: null, reason: "queued for anyone: no group" } });
    await customer.close();
  });

  it("lets an operator's reply take a waiting conversation, announce it, and logs the first reply", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    await say(customer, "hello?");
    const operator = await joinConversation(id, { cookie: agent.cookie });
    await say(operator, "Hi, I'm here to help");

    const joined = await customer.next((f) => f.type === "message" && (f.message as { kind: string }).kind === "system");
    expect(joined.message).toMatchObject({ authorKind: "system", event: "joined", authorName: tenant.agent.name });
    const reply = await customer.next((f) => f.type === "message" && (f.message as { authorKind: string }).authorKind === "operator");
    expect(reply.message).toMatchObject({ body: "Hi, I'm here to help", authorName: tenant.agent.name });
    const assigned = await customer.next((f) => f.type === "conversation" && (f.conversation as { status: string }).status === "assigned");
    expect(assigned.conversation).toMatchObject({ assignee: { id: tenant.agent.id, name: tenant.agent.name } });

    const [row] = await database().select().from(conversations).where(eq(conversations.id, id));
    expect(row).toMatchObject({ status: "assigned", assigneeId: tenant.agent.id });
    expect(row.firstHumanReplyAt).toBeGreaterThan(0);
    const log = await database().select().from(events).where(eq(events.conversationId, id)).orderBy(events.id);
    expect(log.map((e) => e.type)).toEqual(["created", "escalated", "routed", "claimed", "routed", "first_reply"]);
    expect(log[3].data).toMatchObject({ reason: "answered from the queue" });
    expect(log[4].data).toMatchObject({ operatorId: tenant.agent.id, groupId: null, reason: "answered from the queue" });
    await customer.close();
    await operator.close();
  });

  it("relays typing to the other side only, and stores nothing for it", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    const operator = await joinConversation(id, { cookie: agent.cookie });
    operator.send({ type: "typing", typing: true });
    const typing = await customer.next((f) => f.type === "typing");
    expect(typing).toMatchObject({ authorKind: "operator", name: tenant.agent.name, typing: true });
    // The room handles a socket's frames in order: once it answers the next one, no echo can still be coming.
    const from = operator.frames.length;
    operator.send({ type: "resume", after: 0 });
    await operator.next((f) => f.type === "conversation", { from });
    expect(operator.frames.some((f) => f.type === "typing")).toBe(false);
    expect(await storedMessages(id)).toHaveLength(0);
    await customer.close();
    await operator.close();
  });

  it("refuses messages to a conversation closed longer ago than the site's reopen window, with an error frame that names them", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    // No window: any message after the close is refused (within one, it would reopen; see routing-api.test.ts).
    await database().update(sites).set({ reopenMinutes: 0 }).where(eq(sites.id, tenant.siteId));
    const customer = await joinConversation(id, { token: visitor.token });
    await say(customer, "thanks, bye");
    const closed = await visitor.request(`/api/widget/conversations/${id}/close`, { method: "POST" });
    expect(closed.status).toBe(200);
    await customer.next((f) => f.type === "conversation" && (f.conversation as { status: string }).status === "closed");
    const clientMsgId = newId();
    const refused = await say(customer, "one more thing", clientMsgId);
    expect(refused).toMatchObject({ type: "error", code: "closed", clientMsgId });
    const rows = await storedMessages(id);
    expect(rows.map((r) => r.body)).toEqual(["thanks, bye", "The conversation was closed"]);
    await database().update(sites).set({ reopenMinutes: 60 }).where(eq(sites.id, tenant.siteId));
    await customer.close();
  });
});

describe("Conversation room: bad input", () => {
  let visitorToken: string;
  let id: string;
  let socket: TestSocket;

  beforeAll(async () => {
    const visitor = await startVisitor(tenant.publicKey);
    visitorToken = visitor.token;
    id = await visitor.createConversation();
    socket = await joinConversation(id, { token: visitorToken });
    await say(socket, "kept safe");
  });

  const cases: Array<[string, unknown, RegExp]> = [
    ["malformed JSON", "{not json", /not valid JSON/],
    ["an unknown frame type", { type: "explode" }, /type/],
    ["a send without a body", { type: "send", clientMsgId: newId() }, /body/],
    ["an empty message", { type: "send", clientMsgId: newId(), body: "   " }, /empty/],
    ["an over-long message", { type: "send", clientMsgId: newId(), body: "x".repeat(MAX_BODY_LENGTH + 1) }, /longer than 5000/],
    ["a bad clientMsgId", { type: "send", clientMsgId: "<script>", body: "hi" }, /clientMsgId/],
    ["a negative resume", { type: "resume", after: -1 }, /after/],
    ["a JSON array", [1, 2, 3], /./],
  ];

  it.each(cases)("answers %s with an error frame and keeps the socket usable", async (_name, frame, message) => {
    const from = socket.frames.length;
    socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
    const error = await socket.next((f) => f.type === "error", { from });
    expect(error).toMatchObject({ code: "bad_frame" });
    expect(error.message).toMatch(message);
    const ok = await say(socket, `still here after ${_name}`);
    expect(ok.type).toBe("ack");
  });

  it("answers a binary frame with an error frame", async () => {
    const from = socket.frames.length;
    socket.ws.send(Buffer.from([1, 2, 3]));
    const error = await socket.next((f) => f.type === "error", { from });
    expect(error).toMatchObject({ code: "bad_frame", message: "frames must be JSON text" });
  });

  it("takes a message of exactly the limit", async () => {
    const ack = await say(socket, "y".repeat(MAX_BODY_LENGTH));
    expect(ack.type).toBe("ack");
  });

  it("lost nothing that was already stored", async () => {
    const rows = await storedMessages(id);
    expect(rows[0].body).toBe("kept safe");
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.filter((r) => r.body.startsWith("still here after"))).toHaveLength(cases.length);
  });

  it("refuses an unknown conversation before it joins", async () => {
    const ghost = new TestSocket(`/parties/conversation/${newId()}?token=${encodeURIComponent(visitorToken)}`);
    const closed = await ghost.closed;
    expect(closed.code).toBe(4404);
    expect(ghost.frames).toEqual([{ type: "error", code: "not_found", message: "no such conversation" }]);
  });

  it("refuses a room that does not exist", async () => {
    const nowhere = new TestSocket("/parties/nonsense/x");
    await expect(nowhere.opened).rejects.toThrow(/400/);
  });

  it("answers plain HTTP to a room with 426", async () => {
    const response = await fetch(`${stack().url}/parties/conversation/${id}`);
    expect(response.status).toBe(426);
    expect(await response.json()).toMatchObject({ error: { code: "upgrade_required" } });
  });
});
