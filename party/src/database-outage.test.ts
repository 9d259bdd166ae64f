import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../scripts/migrate";
import { startSqld, type Sqld } from "../../scripts/sqld";
import { until } from "../../scripts/test-kit/clients";
import { connectConversation } from "../../scripts/test-kit/party-client";
import { startWranglerDev, type WranglerDev } from "../../scripts/wrangler-dev";
import { createDb } from "../../worker/src/db/client";
import { messages } from "../../worker/src/db/schema";
import { createWorkspace } from "../../worker/src/workspaces/create-workspace";

// Its own stack: this test stops the database under a live conversation.
const dataDir = mkdtempSync(join(tmpdir(), "tandem-outage-"));
let sqld: Sqld;
let worker: WranglerDev;

beforeAll(async () => {
  sqld = await startSqld({ dataDir: join(dataDir, "sqld") });
  await migrateDatabase(sqld.url);
  worker = await startWranglerDev({
    vars: { LIBSQL_URL: sqld.url, TANDEM_SECRET: "outage-test-secret" },
    persistTo: join(dataDir, "wrangler"),
  });
});

afterAll(async () => {
  await worker?.stop();
  await sqld?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("when the database goes away for a while", () => {
  it("keeps what the customer writes and stores it once the database is back", async () => {
    const tenant = await createWorkspace(createDb({ LIBSQL_URL: sqld.url }), {
      name: "Outage",
      owner: { email: "outage@example.test", name: "O", password: "outage-password" },
      site: { name: "Outage site" },
    });
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${worker.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<Record<string, any>>);
    const { token, visitorId } = await post("/api/widget/session", { siteKey: tenant.publicKey });
    const { conversation } = await post("/api/widget/conversations", {}, token);

    const customer = connectConversation({
      host: new URL(worker.url).host,
      conversationId: conversation.id,
      token,
      self: { authorKind: "visitor", authorId: visitorId, authorName: null },
      fastReconnect: true,
    });
    customer.sync.send("before the outage");
    await until(() => customer.sync.snapshot().pending.length === 0, 10_000, () => "first message");

    const port = Number(new URL(sqld.url).port);
    await sqld.stop();
    customer.sync.send("during the outage 1");
    customer.sync.send("during the outage 2");
    // The room answers with an error frame; nothing is acked while libSQL is away.
    await new Promise((r) => setTimeout(r, 1500));
    expect(customer.sync.snapshot().pending.map((e) => e.body)).toEqual(["during the outage 1", "during the outage 2"]);

    sqld = await startSqld({ dataDir: join(dataDir, "sqld"), port });
    customer.sync.send("after the outage");
    await until(() => customer.sync.snapshot().pending.length === 0, 60_000, () => `still pending: ${customer.sync.snapshot().pending.length}`);
    customer.close();

    const rows = await createDb({ LIBSQL_URL: sqld.url })
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversation.id))
      .orderBy(messages.seq);
    expect(rows.map((r) => r.body)).toEqual(["before the outage", "during the outage 1", "during the outage 2", "after the outage"]);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
  }, 120_000);
});
