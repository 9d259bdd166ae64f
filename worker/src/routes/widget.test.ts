import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, stack, startVisitor, type Tenant } from "../../../scripts/test-kit/clients";
import { conversations, events, pageViews } from "../db/schema";

let tenant: Tenant;
let other: Tenant;

beforeAll(async () => {
  [tenant, other] = await Promise.all([createTenant("Widget"), createTenant("Other")]);
});

function session(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${stack().url}/api/widget/session`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("visitor sessions", () => {
  it("gives a new visitor a signed token, and the same visitor back for it", async () => {
    const first = (await (await session({ siteKey: tenant.publicKey })).json()) as { token: string; visitorId: string; site: object };
    expect(first.token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(first.site).toMatchObject({ name: "Widget site", identityRequired: false });
    const again = (await (await session({ siteKey: tenant.publicKey, token: first.token })).json()) as { visitorId: string };
    expect(again.visitorId).toBe(first.visitorId);
  });

  it("does not carry a visitor from one workspace's site to another's", async () => {
    const first = (await (await session({ siteKey: tenant.publicKey })).json()) as { token: string; visitorId: string };
    const elsewhere = (await (await session({ siteKey: other.publicKey, token: first.token })).json()) as { visitorId: string };
    expect(elsewhere.visitorId).not.toBe(first.visitorId);
  });

  it("starts over when the old token is not valid", async () => {
    const response = await session({ siteKey: tenant.publicKey, token: "garbage.token" });
    expect(response.status).toBe(200);
  });

  it("answers a cross-origin call with CORS headers (the widget runs on customers' sites)", async () => {
    const preflight = await fetch(`${stack().url}/api/widget/session`, {
      method: "OPTIONS",
      headers: { origin: "https://shop.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    const response = await session({ siteKey: tenant.publicKey }, { origin: "https://shop.example" });
    expect(response.headers.get("access-control-allow-origin")).toBe("https://shop.example");
  });

  it.each([
    ["an unknown site key", { siteKey: "site_does_not_exist" }, 404, /no site has this key/],
    ["a malformed site key", { siteKey: "<b>x</b>" }, 400, /site key is not valid/],
    ["no site key", {}, 400, /siteKey/],
    ["malformed JSON", "{", 400, /Malformed JSON/],
  ])("refuses %s clearly", async (_name, body, status, message) => {
    const response = await session(body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
  });
});

describe("visitor conversations", () => {
  it("starts a conversation with the bot and the page context, and logs it", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const context = { url: "https://shop.example/checkout?step=2", title: "Checkout", language: "uk-UA", timeZone: "Europe/Kyiv", utm: { source: "news" } };
    const id = await visitor.createConversation(context);
    const [row] = await database().select().from(conversations).where(eq(conversations.id, id));
    expect(row).toMatchObject({ status: "bot", visitorId: visitor.visitorId, workspaceId: tenant.workspaceId, context });
    const log = await database().select().from(events).where(eq(events.conversationId, id));
    expect(log).toMatchObject([{ type: "created", actorKind: "visitor", actorId: visitor.visitorId }]);
    const list = (await (await visitor.request("/api/widget/conversations")).json()) as { conversations: { id: string; status: string }[] };
    expect(list.conversations).toMatchObject([{ id, status: "bot" }]);
  });

  it("refuses page context that is too large or of the wrong shape", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, "v"]));
    for (const context of [{ url: "x".repeat(3000) }, { title: 42 }, { utm: "source=x" }, { custom: many }]) {
      const response = await visitor.request("/api/widget/conversations", { method: "POST", body: JSON.stringify({ context }) });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
  });

  it("refuses a body over 64 KiB with 413 before reading it", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const context = { custom: { note: "x".repeat(500) }, title: "y".repeat(70 * 1024) };
    const response = await visitor.request("/api/widget/conversations", { method: "POST", body: JSON.stringify({ context }) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "too_large" } });
  });

  it("needs a visitor token", async () => {
    for (const authorization of ["", "Bearer ", "Bearer nonsense", "Basic abc"]) {
      const response = await fetch(`${stack().url}/api/widget/conversations`, { headers: { authorization } });
      expect(response.status).toBe(401);
    }
  });

  it("lets the customer close their conversation", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const response = await visitor.request(`/api/widget/conversations/${id}/close`, { method: "POST" });
    expect(response.status).toBe(200);
    const [row] = await database().select().from(conversations).where(eq(conversations.id, id));
    // Closed before anyone escalated it: the bot handled it alone.
    expect(row).toMatchObject({ status: "closed", resolvedBy: "bot" });
  });

  it("gives a customer back the conversation they closed within the site's window, with the pages seen since (D8)", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    expect((await visitor.request(`/api/widget/conversations/${id}/close`, { method: "POST" })).status).toBe(200);
    const trail = [{ url: "https://shop.example/faq", title: "FAQ", at: Date.now() - 1000 }];
    const again = await visitor.request("/api/widget/conversations", { method: "POST", body: JSON.stringify({ context: { url: "https://shop.example/faq" }, trail }) });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ conversation: { id, status: "closed" } });
    const views = await database().select({ url: pageViews.url }).from(pageViews).where(eq(pageViews.conversationId, id));
    expect(views).toEqual([{ url: "https://shop.example/faq" }]);

    // Once the window has passed, a new one starts.
    await database().update(conversations).set({ closedAt: Date.now() - 2 * 3_600_000 }).where(eq(conversations.id, id));
    expect(await visitor.createConversation()).not.toBe(id);
  });
});
