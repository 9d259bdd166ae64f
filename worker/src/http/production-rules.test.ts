import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botTenant } from "../../../scripts/test-kit/bot-kit";
import { database, joinConversation, say, stack, startVisitor, type Tenant } from "../../../scripts/test-kit/clients";
import { member, PASSWORD } from "../../../scripts/test-kit/team-kit";
import { startWranglerDev, type WranglerDev } from "../../../scripts/wrangler-dev";
import { events, invites, workspaces } from "../db/schema";

// The rules that hold only in production (A6, A8, A9), through a second
// Worker on the run's sqld started as production runs: no TANDEM_ENV, no
// ALLOW_LOOPBACK_URLS, no PUBLIC_URL. Here CF-Connecting-IP is trusted (on
// Cloudflare it is set by Cloudflare; the test sets it as Cloudflare would).

let worker: WranglerDev;
let dir: string;
let tenant: Tenant;
let cookie: string;

const login = (email: string, password: string, address: string) =>
  fetch(`${worker.url}/api/ops/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": address },
    body: JSON.stringify({ email, password }),
  });
const asOwner = (path: string, method: string, body: unknown) =>
  fetch(`${worker.url}${path}`, { method, headers: { "content-type": "application/json", origin: worker.url, cookie }, body: JSON.stringify(body) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tandem-production-"));
  worker = await startWranglerDev({
    vars: { LIBSQL_URL: stack().libsqlUrl, TANDEM_SECRET: "production-rules-secret" },
    persistTo: dir,
    assetsDir: process.env.TANDEM_DIST,
  });
  tenant = await botTenant("Production rules");
  const signedIn = await login(tenant.owner.email, tenant.owner.password, "198.51.100.1");
  expect(signedIn.status).toBe(200);
  cookie = signedIn.headers.get("set-cookie")!.split(";")[0];
});

afterAll(async () => {
  await worker?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the language model's URL in production", () => {
  const model = { enabled: true, model: "tiny", timeoutMs: 1000 };

  it("is refused on save when it is plain http or points at this machine", async () => {
    for (const [url, message] of [
      ["http://127.0.0.1:9/v1", "url: the URL must start with https://"],
      ["https://127.0.0.1:9/v1", "url: 127.0.0.1 is a loopback address; the URL must point at a public host"],
      ["https://[::1]:9/v1", "url: [::1] is a loopback address; the URL must point at a public host"],
      ["https://localhost:9/v1", "url: localhost is a local network name; the URL must point at a public host"],
      ["https://[::ffff:7f00:1]:9/v1", "url: [::ffff:7f00:1] is an IPv4-mapped address; the URL must point at a public host"],
    ]) {
      const response = await asOwner("/api/ops/knowledge/model", "PUT", { ...model, url });
      expect(response.status, url).toBe(400);
      expect(await response.json(), url).toEqual({ error: { code: "invalid_request", message } });
    }
    const ok = await asOwner("/api/ops/knowledge/model", "PUT", { ...model, url: "https://llm.example.com/v1" });
    expect(ok.status).toBe(200);
  });

  it("is not called when it was stored before: the bot hands over and the knowledge never leaves", async () => {
    const received: string[] = [];
    const listener = createServer((request, response) => {
      let raw = "";
      request.on("data", (chunk) => (raw += chunk));
      request.on("end", () => {
        received.push(raw);
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ choices: [{ message: { content: "Leaked." } }] }));
      });
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/v1`;
    try {
      await database().update(workspaces).set({ llm: { ...model, url } }).where(eq(workspaces.id, tenant.workspaceId));
      const visitor = await startVisitor(tenant.publicKey, { url: worker.url });
      const id = await visitor.createConversation();
      const socket = await joinConversation(id, { token: visitor.token, url: worker.url });
      // Nothing in the knowledge base is like this, so the bot would ask the model.
      await say(socket, "а вы продаёте билеты на Марс?");
      await socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
      const [handed] = await database()
        .select({ data: events.data })
        .from(events)
        .where(and(eq(events.conversationId, id), eq(events.type, "escalated")));
      expect(handed.data.reason).toMatch(/no model answer$/);
      expect(received).toEqual([]);
      await socket.close();
    } finally {
      listener.closeAllConnections();
      listener.close();
    }
  });
});

describe("sign-in throttling in production", () => {
  it("keys on CF-Connecting-IP: a stranger's failures lock only the stranger's address", async () => {
    const someone = await member(tenant, "operator", "prod-owner");
    for (let i = 0; i < 5; i++) expect((await login(someone.email, "wrong password", "203.0.113.10")).status).toBe(401);
    expect((await login(someone.email, PASSWORD, "203.0.113.10")).status).toBe(429);
    expect((await login(someone.email, PASSWORD, "203.0.113.11")).status).toBe(200);
  });

  it("counts an IPv6 client as its /64", async () => {
    const someone = await member(tenant, "operator", "prod-six");
    for (let i = 0; i < 5; i++) expect((await login(someone.email, "wrong password", `2001:db8:5:6::${i + 1}`)).status).toBe(401);
    expect((await login(someone.email, PASSWORD, "2001:db8:5:6:ffff::1")).status).toBe(429);
    expect((await login(someone.email, PASSWORD, "2001:db8:5:7::1")).status).toBe(200);
  });
});

describe("invite links in production", () => {
  it("are not made from the request's Host when PUBLIC_URL is not set", async () => {
    const email = `no-public-url-${Date.now()}@example.test`;
    const response = await asOwner("/api/ops/team/invites", "POST", { email, name: "Nobody", role: "operator" });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: "not_configured", message: "this deployment has no PUBLIC_URL set, so it cannot make invite links" },
    });
    expect(await database().select().from(invites).where(eq(invites.email, email))).toEqual([]);
  });
});
