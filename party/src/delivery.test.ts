import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChaosProxy } from "../../scripts/test-kit/chaos-proxy";
import { createTenant, database, signIn, stack, startVisitor, until } from "../../scripts/test-kit/clients";
import { connectConversation } from "../../scripts/test-kit/party-client";
import { messages } from "../../worker/src/db/schema";

const COUNT = 500;

/** A small seeded generator, so a failing run can be replayed with TANDEM_CHAOS_SEED. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("delivery under a flaky connection", () => {
  let proxy: Awaited<ReturnType<typeof startChaosProxy>>;
  beforeAll(async () => {
    proxy = await startChaosProxy(Number(new URL(stack().url).port));
  });
  afterAll(() => proxy.stop());

  it(`stores and delivers ${COUNT} messages exactly once, in order, while sockets are cut at random`, async () => {
    const seed = Number(process.env.TANDEM_CHAOS_SEED ?? Date.now() % 1_000_000);
    const rand = random(seed);
    const tenant = await createTenant("Chaos");
    const operator = await signIn(tenant.agent.email, tenant.agent.password);
    const visitor = await startVisitor(tenant.publicKey);
    const conversationId = await visitor.createConversation();
    const host = `127.0.0.1:${proxy.port}`;

    const customer = connectConversation({
      host,
      conversationId,
      token: visitor.token,
      self: { authorKind: "visitor", authorId: visitor.visitorId, authorName: null },
      fastReconnect: true,
    });
    const agent = connectConversation({
      host,
      conversationId,
      cookie: operator.cookie,
      self: { authorKind: "operator", authorId: operator.id, authorName: operator.name },
      fastReconnect: true,
    });

    // Chaos, driven by the seed and not by the clock: after about one send in
    // seven, pick a side and cut its socket as soon as it is open, in one of
    // three ways: a clean close from the client, a close from the server, or
    // a dead network.
    const cutsOf = { customer: 0, operator: 0 };
    let bounces = 0;
    const isCustomer = (requestLine: string) => requestLine.includes("token=");
    const cut = async () => {
      const side = rand() < 0.5 ? "customer" : "operator";
      const client = side === "customer" ? customer : agent;
      const roll = rand();
      if (roll < 0.25) {
        client.bounce();
        bounces++;
        cutsOf[side]++;
        return;
      }
      const mode = roll < 0.6 ? "server-close" : "network";
      if (await proxy.cut(mode, (line) => isCustomer(line) === (side === "customer"))) cutsOf[side]++;
    };

    const bodies = Array.from({ length: COUNT }, (_, i) => `message ${i} of ${COUNT}`);
    const chaos: Promise<void>[] = [];
    for (const body of bodies) {
      customer.sync.send(body);
      if (rand() < 1 / 7) chaos.push(new Promise((r) => setTimeout(r, rand() * 6)).then(cut));
      await new Promise((r) => setTimeout(r, rand() * 8));
    }
    await Promise.all(chaos);

    await until(
      () => customer.sync.snapshot().pending.length === 0 && agent.sync.snapshot().messages.length === COUNT,
      90_000,
      () => `pending ${customer.sync.snapshot().pending.length}, operator has ${agent.sync.snapshot().messages.length}`,
    );
    const cuts = cutsOf.customer + cutsOf.operator;
    console.log(
      `chaos seed ${seed}: ${cuts} cuts (${bounces} client closes, ${proxy.cuts} by the proxy; customer ${cutsOf.customer}, operator ${cutsOf.operator}), connections opened: customer ${customer.opens}, operator ${agent.opens}`,
    );
    customer.close();
    agent.close();

    // Stored exactly once each, in the order sent, with gapless seqs.
    const rows = await database()
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .orderBy(messages.seq);
    expect(rows.map((r) => r.body)).toEqual(bodies);
    expect(rows.map((r) => r.seq)).toEqual(bodies.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.clientMsgId)).size).toBe(COUNT);

    // The operator's socket delivered each seq exactly once, in order, across every reconnect.
    expect(agent.delivered).toEqual(bodies.map((_, i) => i + 1));
    expect(agent.sync.snapshot().messages.map((m) => m.body)).toEqual(bodies);

    // The customer's view agrees with the database, seq for seq.
    expect(customer.sync.snapshot().messages.map((m) => [m.seq, m.body])).toEqual(rows.map((r) => [r.seq, r.body]));

    // It really was flaky, many times over, on both sides.
    expect(cuts).toBeGreaterThanOrEqual(40);
    expect(cutsOf.customer).toBeGreaterThanOrEqual(15);
    expect(cutsOf.operator).toBeGreaterThanOrEqual(15);
  }, 180_000);
});
