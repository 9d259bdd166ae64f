import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../scripts/migrate";
import { startSqld, type Sqld } from "../../scripts/sqld";
import { startChaosProxy } from "../../scripts/test-kit/chaos-proxy";
import { until } from "../../scripts/test-kit/clients";
import { connectConversation } from "../../scripts/test-kit/party-client";
import { startWranglerDev, type WranglerDev } from "../../scripts/wrangler-dev";
import { createDb } from "../../worker/src/db/client";
import { messages } from "../../worker/src/db/schema";
import { createWorkspace } from "../../worker/src/workspaces/create-workspace";

// A stack of its own, with a proxy between the Worker and sqld: these tests
// take the database away, or lose its answers, under a live conversation.
const dataDir = mkdtempSync(join(tmpdir(), "tandem-storage-"));
let sqld: Sqld;
let proxy: Awaited<ReturnType<typeof startChaosProxy>>;
let worker: WranglerDev;

beforeAll(async () => {
  sqld = await startSqld({ dataDir: join(dataDir, "sqld") });
  await migrateDatabase(sqld.url);
  proxy = await startChaosProxy(Number(new URL(sqld.url).port));
  worker = await startWranglerDev({
    vars: { LIBSQL_URL: `http://127.0.0.1:${proxy.port}`, TANDEM_SECRET: "storage-test-secret" },
    persistTo: join(dataDir, "wrangler"),
  });
});

afterAll(async () => {
  await worker?.stop();
  await proxy?.stop();
  await sqld?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A workspace, its owner signed in, and one customer conversation with both sides connected. */
async function conversationWithBothSides(label: string) {
  const owner = { email: `${label}@example.test`, name: "Olga", password: "storage-password" };
  const tenant = await createWorkspace(createDb({ LIBSQL_URL: sqld.url }), { name: label, owner, site: { name: label } });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${worker.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const login = await post("/api/ops/login", { email: owner.email, password: owner.password });
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const operator = ((await login.json()) as { operator: { id: string } }).operator;
  const { token, visitorId } = (await (await post("/api/widget/session", { siteKey: tenant.publicKey })).json()) as Record<string, string>;
  const created = (await (await post("/api/widget/conversations", {}, { authorization: `Bearer ${token}` })).json()) as {
    conversation: { id: string };
  };
  const host = new URL(worker.url).host;
  const conversationId = created.conversation.id;
  const customer = connectConversation({
    host,
    conversationId,
    token,
    self: { authorKind: "visitor", authorId: visitorId, authorName: null },
    fastReconnect: true,
  });
  const agent = connectConversation({
    host,
    conversationId,
    cookie,
    self: { authorKind: "operator", authorId: operator.id, authorName: owner.name },
    fastReconnect: true,
  });
  const stored = async () =>
    (await createDb({ LIBSQL_URL: sqld.url }).select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq)).map(
      (r) => [r.seq, r.body],
    );
  return { customer, agent, stored };
}

describe("when storage fails under a live conversation", () => {
  it("keeps what the customer writes while the database is away and stores it, in order, once it is back", async () => {
    const { customer, agent, stored } = await conversationWithBothSides("outage");
    customer.sync.send("before the outage");
    await until(() => agent.sync.snapshot().messages.length === 1, 10_000, () => "first message");

    const port = Number(new URL(sqld.url).port);
    await sqld.stop();
    customer.sync.send("during the outage 1");
    customer.sync.send("during the outage 2");
    // The room cannot store it: it ends the connection (1011) and nothing is acked.
    await until(() => customer.closes.includes(1011), 10_000, () => `closes: ${customer.closes}`);
    expect(customer.sync.snapshot().pending.map((e) => e.body)).toEqual(["during the outage 1", "during the outage 2"]);

    sqld = await startSqld({ dataDir: join(dataDir, "sqld"), port });
    customer.sync.send("after the outage");
    await until(() => agent.sync.snapshot().messages.length === 4, 60_000, () => `operator has ${agent.sync.snapshot().messages.length}`);
    expect(customer.sync.snapshot().pending).toEqual([]);
    const expected = [
      [1, "before the outage"],
      [2, "during the outage 1"],
      [3, "during the outage 2"],
      [4, "after the outage"],
    ];
    expect(await stored()).toEqual(expected);
    expect(agent.sync.snapshot().messages.map((m) => [m.seq, m.body])).toEqual(expected);
    customer.close();
    agent.close();
  }, 120_000);

  it("stores nothing sent after a message whose write failed before that message", async () => {
    const { customer, agent, stored } = await conversationWithBothSides("failed-first");
    customer.sync.send("hello");
    await until(() => agent.sync.snapshot().messages.length === 1, 10_000, () => "first message");

    // Its write never reaches the database and fails a moment later, with the next send waiting behind it
    // in the room. The bench's 800-customer step found the next one stored first, one place early.
    proxy.dropRequestWith("this one never reaches the database", 200);
    customer.sync.send("this one never reaches the database");
    customer.sync.send("and this one was sent after it");
    await until(() => customer.closes.includes(1011), 10_000, () => `closes: ${customer.closes}`);

    await until(() => agent.sync.snapshot().messages.length === 3, 20_000, () => `operator has ${agent.sync.snapshot().messages.length}`);
    expect(customer.sync.snapshot().pending).toEqual([]);
    const expected = [
      [1, "hello"],
      [2, "this one never reaches the database"],
      [3, "and this one was sent after it"],
    ];
    expect(await stored()).toEqual(expected);
    expect(agent.delivered).toEqual([1, 2, 3]);
    customer.close();
    agent.close();
  }, 60_000);

  it("delivers a message whose commit answer was lost, once, without waiting for the next one", async () => {
    const { customer, agent, stored } = await conversationWithBothSides("lost-answer");
    customer.sync.send("hello");
    await until(() => agent.sync.snapshot().messages.length === 1, 10_000, () => "first message");

    // The database commits it; the room never hears so and ends the customer's connection.
    proxy.loseAnswerTo("the answer to this one is lost");
    customer.sync.send("the answer to this one is lost");
    await until(() => customer.closes.includes(1011), 10_000, () => `closes: ${customer.closes}`);

    // The customer resends it on reconnecting: stored once, and the operator hears of it now.
    await until(() => agent.sync.snapshot().messages.length === 2, 20_000, () => `operator has ${agent.sync.snapshot().messages.length}`);
    expect(customer.sync.snapshot().pending).toEqual([]);
    expect(await stored()).toEqual([
      [1, "hello"],
      [2, "the answer to this one is lost"],
    ]);
    expect(agent.delivered).toEqual([1, 2]);
    customer.close();
    agent.close();
  }, 60_000);
});
