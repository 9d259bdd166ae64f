import { newId } from "@tandem/protocol";
import { eq } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, joinConversation, say, signIn, stack, startVisitor, until, type Tenant } from "../../scripts/test-kit/clients";
import { connectConversation } from "../../scripts/test-kit/party-client";
import { startSlowLibsql } from "../../scripts/test-kit/slow-libsql";
import { UNLIMITED } from "../../scripts/test-kit/strict-worker";
import { startWranglerDev } from "../../scripts/wrangler-dev";
import { messages } from "../../worker/src/db/schema";

// A Worker whose libSQL answers slowly (a proxy holds every request), with
// no rate limits in the way: the rooms' own bound on waiting work is what
// is tested. Same database as the run.
let slow: Awaited<ReturnType<typeof startSlowLibsql>>;
let worker: Awaited<ReturnType<typeof startWranglerDev>>;
let persistTo: string;
let tenant: Tenant;

beforeAll(async () => {
  slow = await startSlowLibsql(stack().libsqlUrl);
  persistTo = mkdtempSync(join(tmpdir(), "tandem-slow-"));
  worker = await startWranglerDev({ vars: { LIBSQL_URL: slow.url, TANDEM_SECRET: "slow-test-secret", TANDEM_ENV: "development", RATE_LIMITS: UNLIMITED }, persistTo, assetsDir: process.env.TANDEM_DIST });
  tenant = await createTenant("Slow");
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await slow?.stop();
  rmSync(persistTo, { recursive: true, force: true });
});

describe("Conversation room when libSQL is slow", () => {
  it("bounds the work it lets wait, tells the rest to try again, and loses, doubles or reorders nothing", async () => {
    const url = worker.url;
    const agent = await signIn(tenant.agent.email, tenant.agent.password);
    const visitor = await startVisitor(tenant.publicKey, { url });
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token, url });
    await say(customer, "Is anyone there?");
    await customer.close();

    slow.delayMs = 60;
    const operator = connectConversation({ host: new URL(url).host, conversationId: id, cookie: agent.cookie, self: { authorKind: "operator", authorId: agent.id, authorName: agent.name } });
    const bodies = Array.from({ length: 120 }, (_, i) => `answer ${i}`);
    for (const body of bodies) operator.sync.send(body);
    let putOff = 0;
    await until(
      () => {
        if (operator.sync.snapshot().waiting?.code === "busy") putOff++;
        return operator.sync.snapshot().pending.length === 0;
      },
      120_000,
      () => `${operator.sync.snapshot().pending.length} still pending`,
    );
    // It did say "busy" rather than queue all 120 behind a slow database.
    expect(putOff).toBeGreaterThan(0);
    const rows = await database().select().from(messages).where(eq(messages.conversationId, id)).orderBy(messages.seq);
    const answers = rows.filter((r) => r.authorKind === "operator").map((r) => r.body);
    expect(answers).toEqual(bodies);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));

    // The load is over: the room takes the next message at once, without a restart.
    slow.delayMs = 0;
    const back = await joinConversation(id, { cookie: agent.cookie, url });
    expect(await say(back, "all caught up")).toMatchObject({ type: "ack" });
    operator.close();
    await back.close();
  }, 180_000);

  it("lets a connection go on when the send it was holding for got stored through another one", async () => {
    const url = worker.url;
    const agent = await signIn(tenant.agent.email, tenant.agent.password);
    const visitor = await startVisitor(tenant.publicKey, { url });
    const id = await visitor.createConversation();
    expect((await agent.request(`/api/ops/conversations/${id}/claim`, { method: "POST" })).status).toBe(200);

    slow.delayMs = 60;
    const first = await joinConversation(id, { cookie: agent.cookie, url });
    const sends = Array.from({ length: 60 }, (_, i) => ({ type: "send", clientMsgId: newId(), body: `burst ${i}` }));
    for (const frame of sends) first.send(frame);
    const answer = (clientMsgId: string) => first.next((f) => f.clientMsgId === clientMsgId && (f.type === "ack" || f.type === "error"), { timeoutMs: 60_000 });
    const answers = await Promise.all(sends.map((frame) => answer(frame.clientMsgId)));
    const refused = answers.findIndex((a) => a.type === "error");
    expect(answers[refused]).toMatchObject({ code: "busy" });
    slow.delayMs = 0;

    // The one the connection holds for gets stored through another connection (a reconnect of the same
    // client would do this; its history then shows it stored, and the client drops it from its outbox).
    const second = await joinConversation(id, { cookie: agent.cookie, url });
    expect(await say(second, sends[refused]!.body, sends[refused]!.clientMsgId)).toMatchObject({ type: "ack" });

    // After the wait, the next one on the first connection is taken, not put off again and again.
    await new Promise((r) => setTimeout(r, answers[refused]!.retryAfterMs + 50));
    const next = sends[refused + 1]!;
    expect(await say(first, next.body, next.clientMsgId)).toMatchObject({ type: "ack" });
    await first.close();
    await second.close();
  }, 180_000);
});
