import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, stack, startVisitor, TestSocket, type Tenant } from "../../../scripts/test-kit/clients";
import { sites } from "../db/schema";

// The widget's first call (site settings, W2/W4/W12/W14) and allowed origins (S3).

type Session = {
  token: string;
  visitorId: string;
  site: {
    name: string;
    look: Record<string, unknown>;
    hours: { open: boolean; opensAt: number | null };
    prechat: { fields: { name: string; required: boolean }[]; topics: string[] } | null;
    identityRequired: boolean;
  };
  contact: { name: string | null; email: string | null; phone: string | null };
};

function session(siteKey: string, headers: Record<string, string> = {}, token?: string) {
  return fetch(`${stack().url}/api/widget/session`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ siteKey, token }),
  });
}

/** Writes a site's stored columns as they are, broken values included. */
async function storeSite(siteId: string, columns: Record<string, string | boolean>) {
  for (const [column, value] of Object.entries(columns)) {
    const stored = typeof value === "boolean" ? Number(value) : value;
    await database().$client.execute({ sql: `UPDATE sites SET ${column} = ? WHERE id = ?`, args: [stored, siteId] });
  }
}

describe("the session answer", () => {
  it("gives a new site's defaults: always open, no form, no identity required", async () => {
    const fresh = await createTenant("Fresh");
    const response = await session(fresh.publicKey);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Session;
    expect(body.site).toEqual({
      name: "Fresh site",
      look: { color: "#2563eb", position: "right", logoUrl: null, greeting: null, dark: "auto", language: null },
      hours: { open: true, opensAt: null },
      prechat: null,
      identityRequired: false,
    });
    expect(body.contact).toEqual({ name: null, email: null, phone: null });
    expect(body.token).toMatch(/^[\w-]+\.[\w-]+$/);
  });

  it("carries the site's look, hours, form and the contact's details", async () => {
    const site = await createTenant("Styled");
    // Open on no day at all: closed now, and no next opening.
    const closed = { timeZone: "Europe/Kyiv", days: {} };
    await storeSite(site.siteId, {
      look: JSON.stringify({ color: "#10B981", position: "left", logoUrl: "https://cdn.example/logo.png", greeting: "Hi there", dark: "dark", language: "uk" }),
      working_hours: JSON.stringify(closed),
      prechat_form: JSON.stringify({ fields: [{ name: "name", required: true }, { name: "topic", required: false }], topics: ["Billing"] }),
      identity_required: true,
    });
    const first = (await (await session(site.publicKey)).json()) as Session;
    expect(first.site).toEqual({
      name: "Styled site",
      look: { color: "#10b981", position: "left", logoUrl: "https://cdn.example/logo.png", greeting: "Hi there", dark: "dark", language: "uk" },
      hours: { open: false, opensAt: null },
      prechat: { fields: [{ name: "name", required: true }, { name: "topic", required: false }], topics: ["Billing"] },
      identityRequired: true,
    });

    await fetch(`${stack().url}/api/widget/contact`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${first.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Olena", phone: "+380 44 123 4567" }),
    });
    const again = (await (await session(site.publicKey, {}, first.token)).json()) as Session;
    expect(again.visitorId).toBe(first.visitorId);
    expect(again.contact).toEqual({ name: "Olena", email: null, phone: "+380 44 123 4567" });
  });

  it("says when a closed site opens next", async () => {
    const site = await createTenant("Hours");
    // Open one hour a week, on yesterday's weekday: next time is six days from today, at 10:00 UTC.
    const yesterday = new Date(Date.now() - 86_400_000);
    const weekday = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][yesterday.getUTCDay()];
    await storeSite(site.siteId, { working_hours: JSON.stringify({ timeZone: "UTC", days: { [weekday]: [["10:00", "11:00"]] } }) });
    const body = (await (await session(site.publicKey)).json()) as Session;
    const expected = Date.UTC(yesterday.getUTCFullYear(), yesterday.getUTCMonth(), yesterday.getUTCDate() + 7, 10);
    expect(body.site.hours).toEqual({ open: false, opensAt: expected });
  });

  it("falls back to defaults for stored settings that are broken, never a 500", async () => {
    const site = await createTenant("Broken");
    await storeSite(site.siteId, { look: "{not json", working_hours: "[]", prechat_form: "", allowed_origins: "nope" });
    const response = await session(site.publicKey, { origin: "https://anywhere.example" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Session;
    expect(body.site).toMatchObject({ look: { color: "#2563eb", position: "right" }, hours: { open: true, opensAt: null }, prechat: null });
    await storeSite(site.siteId, { look: JSON.stringify({ color: "red", position: "left" }), working_hours: JSON.stringify({ timeZone: "Nowhere/City", days: {} }) });
    const partly = (await (await session(site.publicKey)).json()) as Session;
    expect(partly.site.look).toMatchObject({ color: "#2563eb", position: "left" });
    expect(partly.site.hours).toEqual({ open: true, opensAt: null });
  });
});

describe("allowed origins", () => {
  let guarded: Tenant;
  const allowed = "https://shop.example";
  const foreign = "https://evil.example";

  beforeAll(async () => {
    guarded = await createTenant("Guarded");
    await database().update(sites).set({ allowedOrigins: [allowed, "http://127.0.0.1:4000/"] }).where(eq(sites.id, guarded.siteId));
  });

  async function expectRefused(response: Response, origin: string) {
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: "origin_not_allowed", message: `${origin} is not an allowed origin for this site; add it in the site's settings` },
    });
    // The browser may read the refusal: CORS headers come with it.
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
  }

  it("lets a listed origin, and a call with no Origin, start a session", async () => {
    expect((await session(guarded.publicKey, { origin: allowed })).status).toBe(200);
    expect((await session(guarded.publicKey, { origin: "http://127.0.0.1:4000" })).status).toBe(200);
    expect((await session(guarded.publicKey)).status).toBe(200);
  });

  it("refuses a session from an origin not in the list, with a message that says what to do", async () => {
    await expectRefused(await session(guarded.publicKey, { origin: foreign }), foreign);
    await expectRefused(await session(guarded.publicKey, { origin: "http://shop.example" }), "http://shop.example");
    await expectRefused(await session(guarded.publicKey, { origin: "null" }), "null");
  });

  it("still answers the preflight, so the browser can read the 403", async () => {
    const preflight = await fetch(`${stack().url}/api/widget/session`, {
      method: "OPTIONS",
      headers: { origin: foreign, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(foreign);
  });

  it("refuses calls with a visitor token from an origin not in the list", async () => {
    const visitor = await startVisitor(guarded.publicKey);
    const ok = await visitor.request("/api/widget/conversations", { headers: { origin: allowed } });
    expect(ok.status).toBe(200);
    await expectRefused(await visitor.request("/api/widget/conversations", { headers: { origin: foreign } }), foreign);
    const create = await visitor.request("/api/widget/conversations", { method: "POST", headers: { origin: foreign }, body: "{}" });
    await expectRefused(create, foreign);
    const contact = await visitor.request("/api/widget/contact", { method: "PATCH", headers: { origin: foreign }, body: JSON.stringify({ name: "X" }) });
    await expectRefused(contact, foreign);
  });

  it("applies a change of the list at once, to tokens given before it", async () => {
    const site = await createTenant("Narrowed");
    const visitor = await startVisitor(site.publicKey);
    expect((await visitor.request("/api/widget/conversations", { headers: { origin: foreign } })).status).toBe(200);
    await database().update(sites).set({ allowedOrigins: [allowed] }).where(eq(sites.id, site.siteId));
    await expectRefused(await visitor.request("/api/widget/conversations", { headers: { origin: foreign } }), foreign);
  });

  it("refuses a visitor's room connection from an origin not in the list with 4403", async () => {
    const visitor = await startVisitor(guarded.publicKey);
    const id = await visitor.createConversation();
    const path = `/parties/conversation/${id}?token=${encodeURIComponent(visitor.token)}`;

    const refused = new TestSocket(path, { origin: foreign });
    const closed = await refused.closed;
    expect(closed.code).toBe(4403);
    expect(closed.reason).toContain(`${foreign} is not an allowed origin`);
    expect(refused.frames).toEqual([{ type: "error", code: "forbidden", message: `${foreign} is not an allowed origin for this site; add it in the site's settings` }]);

    const welcome = new TestSocket(path, { origin: allowed });
    await welcome.opened;
    welcome.send({ type: "resume", after: 0 });
    await welcome.next((f) => f.type === "conversation");
    await welcome.close();
  });

  it("keeps a close reason within the 123 bytes a WebSocket allows, for a long origin", async () => {
    const visitor = await startVisitor(guarded.publicKey);
    const id = await visitor.createConversation();
    const long = `https://${"a".repeat(60)}.${"b".repeat(60)}.example`;
    const refused = new TestSocket(`/parties/conversation/${id}?token=${encodeURIComponent(visitor.token)}`, { origin: long });
    const closed = await refused.closed;
    expect(closed.code).toBe(4403);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
    expect(refused.frames[0]?.message).toContain(long);
  });
});
