import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant, signIn, stack, TestSocket, type Operator, type Tenant } from "../../scripts/test-kit/clients";

// A9: a dashboard socket that opened but never sent a frame stayed connected
// after its operator signed out: the room sent its close, and the connection
// stayed up for as long as the Inbox was kept awake. Here another operator's
// dashboard keeps it awake, as a working day does.

let tenant: Tenant;
let busy: TestSocket;
let keepAwake: ReturnType<typeof setInterval>;

beforeAll(async () => {
  tenant = await createTenant("Silent socket");
  const owner = await signIn(tenant.owner.email, tenant.owner.password);
  busy = new TestSocket(`/parties/inbox/${tenant.workspaceId}`, { cookie: owner.cookie });
  await busy.opened;
  keepAwake = setInterval(() => busy.send({ type: "resume", after: 0 }), 500);
});

afterAll(async () => {
  clearInterval(keepAwake);
  await busy?.close();
});

/**
 * A raw socket that never sends and never gives up on its own: its close
 * event comes only when the server lets the connection go (ws would
 * otherwise end it 30 s after the close frames).
 */
function silentInbox(operator: Operator) {
  // closeTimeout is ws's own option, missing from its types: hence not an object literal here.
  const options = { headers: { cookie: operator.cookie }, closeTimeout: 10 * 60_000 };
  const ws = new WebSocket(`${stack().url.replace(/^http/, "ws")}/parties/inbox/${tenant.workspaceId}`, options);
  const opened = new Promise<void>((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })));
  return { ws, opened, closed };
}

describe("an inbox socket that never spoke", () => {
  it("is let go when its operator signs out, while the workspace stays busy", async () => {
    const agent = await signIn(tenant.agent.email, tenant.agent.password);
    const silent = silentInbox(agent);
    await silent.opened;
    expect((await agent.request("/api/ops/logout", { method: "POST" })).status).toBe(200);
    expect(await silent.closed).toEqual({ code: 4401, reason: "session ended" });
  }, 30_000);

  it("is let go when its session is ended elsewhere (password changed)", async () => {
    const agent = await signIn(tenant.agent.email, tenant.agent.password);
    const other = await signIn(tenant.agent.email, tenant.agent.password);
    const silent = silentInbox(agent);
    await silent.opened;
    const changed = await other.request("/api/ops/team/me/password", {
      method: "POST",
      body: JSON.stringify({ current: tenant.agent.password, next: "a brand new password for the agent" }),
    });
    expect(changed.status).toBe(200);
    expect((await silent.closed).code).toBe(4401);
  }, 30_000);
});
