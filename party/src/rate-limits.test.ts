import { newId } from "@tandem/protocol";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, joinConversation, say, signIn, startVisitor, strictStack, until, type Tenant } from "../../scripts/test-kit/clients";
import { connectConversation } from "../../scripts/test-kit/party-client";
import { conversations, messages, pageViews } from "../../worker/src/db/schema";
import { RATES } from "../../worker/src/limits/rates";

// Against the Worker configured as in production (default limits); each test
// plays a client address of its own, as Cloudflare would set it.
let tenant: Tenant;
const strict = () => strictStack().url;
const address = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

beforeAll(async () => {
  tenant = await createTenant("Limits");
});

async function customer() {
  const visitor = await startVisitor(tenant.publicKey, { url: strict(), headers: { "cf-connecting-ip": address() } });
  const id = await visitor.createConversation();
  const socket = await joinConversation(id, { token: visitor.token, url: strict() });
  return { visitor, id, socket };
}

async function stored(conversationId: string) {
  return database().select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq);
}

describe("Conversation room: a customer's floods are limited (S4)", () => {
  it("takes a burst of sends, then puts every later one off with a time to retry, and stores only what it acked, in order", async () => {
    const { id, socket } = await customer();
    const sent = Array.from({ length: 500 }, (_, i) => ({ type: "send", clientMsgId: newId(), body: `flood ${i}` }));
    for (const frame of sent) socket.send(frame);
    await until(() => socket.frames.filter((f) => f.clientMsgId).length >= sent.length, 30_000, () => `${socket.frames.length} frames`);
    const answers = sent.map((frame) => socket.frames.find((f) => f.clientMsgId === frame.clientMsgId)!);
    const acked = answers.filter((a) => a.type === "ack").length;
    // The burst, and at most a few more that the refill allowed while they arrived.
    expect(acked).toBeGreaterThanOrEqual(RATES.send.burst);
    expect(acked).toBeLessThan(RATES.send.burst + 5);
    // Once one was put off, every later one was too: what was stored is a prefix of what was sent.
    expect(answers.slice(0, acked).every((a) => a.type === "ack")).toBe(true);
    for (const answer of answers.slice(acked)) {
      expect(answer).toMatchObject({ type: "error", code: "rate_limited" });
      expect(answer.retryAfterMs).toBeGreaterThan(0);
    }
    expect((await stored(id)).map((m) => m.body)).toEqual(sent.slice(0, acked).map((f) => f.body));
    await socket.close();
  });

  it("lets a real client's outbox deliver everything in the end, each once, in order, waiting as it is told", async () => {
    const { visitor, id, socket } = await customer();
    await socket.close();
    const { host } = new URL(strict());
    const client = connectConversation({ host, conversationId: id, token: visitor.token, self: { authorKind: "visitor", authorId: visitor.visitorId, authorName: null } });
    const bodies = Array.from({ length: RATES.send.burst + 6 }, (_, i) => `line ${i}`);
    for (const body of bodies) client.sync.send(body);
    let waited = false;
    await until(
      () => {
        waited ||= client.sync.snapshot().waiting?.code === "rate_limited";
        return client.sync.snapshot().pending.length === 0;
      },
      30_000,
      () => `${client.sync.snapshot().pending.length} pending`,
    );
    client.close();
    expect(waited).toBe(true);
    const rows = await stored(id);
    expect(rows.map((m) => m.body)).toEqual(bodies);
    expect(rows.map((m) => m.seq)).toEqual(bodies.map((_, i) => i + 1));
  });

  it("relays a burst of typing frames and drops the rest of a flood, saying so once per wait", async () => {
    const { id, socket } = await customer();
    const agent = await signIn(tenant.agent.email, tenant.agent.password);
    const operator = await joinConversation(id, { cookie: agent.cookie, url: strict() });
    for (let i = 0; i < 1000; i++) socket.send({ type: "typing", typing: i % 2 === 0 });
    expect(await socket.next((f) => f.type === "error")).toMatchObject({ code: "rate_limited", frame: "typing" });
    // A message after the flood reaches the operator after every typing frame that was relayed.
    await say(socket, "after the flood");
    await operator.next((f) => f.type === "message");
    const relayed = operator.frames.filter((f) => f.type === "typing").length;
    expect(relayed).toBeGreaterThanOrEqual(RATES.typing.burst);
    expect(relayed).toBeLessThan(RATES.typing.burst + 10);
    // Said once per wait, not per frame: a handful at most for the whole flood.
    expect(socket.frames.filter((f) => f.type === "error").length).toBeLessThan(10);
    await socket.close();
    await operator.close();
  });

  it("stores at most one page a second of a flood, the latest", async () => {
    const { visitor, socket } = await customer();
    for (let i = 0; i < 200; i++) socket.send({ type: "page", url: `https://shop.example/p/${i}`, title: `Page ${i}` });
    await until(
      async () => (await database().select().from(pageViews).where(eq(pageViews.visitorId, visitor.visitorId))).some((v) => v.url.endsWith("/p/199")),
      10_000,
      () => "the latest page was not stored",
    );
    const views = await database().select().from(pageViews).where(eq(pageViews.visitorId, visitor.visitorId));
    expect(views.map((v) => v.url)).toEqual(["https://shop.example/p/0", "https://shop.example/p/199"]);
    await socket.close();
  });
});

describe("Conversation room: a resume replays a page, not a history (S4)", () => {
  it("answers 30 resumes from 0 of a 2,001-message conversation with the newest 100 each, until the client's replay budget is spent", async () => {
    const { visitor, id, socket } = await customer();
    await socket.close();
    const db = database();
    const at = Date.now();
    const rows = Array.from({ length: 2001 }, (_, i) => ({
      id: newId(),
      conversationId: id,
      seq: i + 1,
      clientMsgId: newId(),
      authorKind: "visitor" as const,
      authorId: visitor.visitorId,
      body: `old message ${i + 1}`,
      createdAt: at + i,
    }));
    for (let i = 0; i < rows.length; i += 400) await db.insert(messages).values(rows.slice(i, i + 400));
    await db.update(conversations).set({ lastSeq: 2001 }).where(eq(conversations.id, id));

    const attacker = await joinConversation(id, { token: visitor.token, url: strict() });
    for (let i = 0; i < 30; i++) attacker.send({ type: "resume", after: 0 });
    await until(() => attacker.frames.filter((f) => f.type === "history" || (f.type === "error" && f.frame === "resume")).length >= 31, 20_000, () => `${attacker.frames.length} frames`);
    const histories = attacker.frames.filter((f) => f.type === "history");
    for (const history of histories) {
      expect(history.older).toBe(true);
      expect(history.messages.map((m: { seq: number }) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => 1902 + i));
    }
    const replayed = histories.reduce((n, h) => n + h.messages.length, 0);
    // 31 resumes (the join's and 30 more) at 100 each would be 3,100; the budget stops them near 1,000.
    expect(replayed).toBeLessThanOrEqual(RATES.replay.burst + 200);
    const refused = attacker.frames.filter((f) => f.type === "error" && f.frame === "resume");
    expect(refused.length).toBeGreaterThanOrEqual(31 - histories.length);
    for (const error of refused) expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: expect.any(Number) });
    // Another socket of the same customer does not start with a fresh budget.
    const again = await joinConversation(id, { token: visitor.token, url: strict() });
    expect(again.frames[0]).toMatchObject({ type: "error", code: "rate_limited", frame: "resume" });
    await attacker.close();
    await again.close();
  });
});
