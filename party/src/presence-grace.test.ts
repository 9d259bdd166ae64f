import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, stack, type Tenant } from "../../scripts/test-kit/clients";
import { startWranglerDev, type WranglerDev } from "../../scripts/wrangler-dev";
import { addGroup, customerWithTopic, storedUntil } from "../../e2e/routing-kit";

// Presence follows the dashboard's connection (D3). The grace is 30 s in
// production; this file runs a second Worker on the same libSQL with a
// grace of 800 ms, so the test waits for the real alarm, not a fake clock.

const GRACE_MS = 800;
let worker: WranglerDev;
let dir: string;
let tenant: Tenant;
let cookie: string;
let operatorId: string;

async function presence() {
  const [row] = await database().all<{ presence: string }>(
    sql`SELECT presence FROM memberships WHERE workspace_id = ${tenant.workspaceId} AND operator_id = ${operatorId}`,
  );
  return row.presence;
}

async function presenceBecomes(value: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await presence()) !== value) {
    if (Date.now() > deadline) throw new Error(`presence stayed ${await presence()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function dashboard() {
  const ws = new WebSocket(`${worker.url.replace(/^http/, "ws")}/parties/inbox/${tenant.workspaceId}`, { headers: { cookie } });
  return new Promise<WebSocket>((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tandem-grace-"));
  worker = await startWranglerDev({
    vars: { LIBSQL_URL: stack().libsqlUrl, TANDEM_SECRET: "grace-test-secret", PRESENCE_GRACE_MS: String(GRACE_MS) },
    persistTo: dir,
    assetsDir: process.env.TANDEM_DIST,
  });
  tenant = await createTenant("Grace");
  const login = await fetch(`${worker.url}/api/ops/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: tenant.agent.email, password: tenant.agent.password }),
  });
  cookie = login.headers.get("set-cookie")!.split(";")[0];
  operatorId = tenant.agent.id;
});

afterAll(async () => {
  await worker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("presence follows the dashboard", () => {
  it("comes online with the dashboard, survives a quick reconnect, goes offline after the grace and gives chats back", async () => {
    await addGroup(tenant.workspaceId, "Care", "least_busy", [operatorId], true);
    const first = await dashboard();
    await presenceBecomes("online");
    const customer = await customerWithTopic(tenant.publicKey, "Care");
    await storedUntil(customer.id, (r) => r.status === "assigned" && r.assigneeId === operatorId);

    // A reload: the socket drops and another comes back within the grace.
    first.close();
    const second = await dashboard();
    await new Promise((r) => setTimeout(r, GRACE_MS * 3));
    expect(await presence()).toBe("online");

    // Gone for good: offline after the grace, and the chat waits in the queue again.
    const left = Date.now();
    second.close();
    await presenceBecomes("offline");
    expect(Date.now() - left).toBeGreaterThanOrEqual(GRACE_MS - 100);
    await storedUntil(customer.id, (r) => r.status === "queued" && r.assigneeId === null);
    const [event] = await database().all<{ data: string }>(
      sql`SELECT data FROM events WHERE workspace_id = ${tenant.workspaceId} AND type = 'presence' ORDER BY id DESC LIMIT 1`,
    );
    expect(JSON.parse(event.data)).toMatchObject({ operatorId, presence: "offline", reason: "dashboard disconnected" });
  });
});
