import { createHmac } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../../scripts/seed";
import { createTenant, database, joinConversation, stack, startVisitor, TestSocket, type Tenant } from "../../../scripts/test-kit/clients";
import { contacts, conversations, events, sites, visitors } from "../db/schema";

// Tandem('identify', {id, name, email, hash}) from the host page (W15, S2).

const SECRET = "test-identity-secret";
const sign = (id: string, secret = SECRET) => createHmac("sha256", secret).update(id).digest("hex");

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("Identify");
  await database().update(sites).set({ identitySecret: SECRET }).where(eq(sites.id, tenant.siteId));
});

async function identify(visitor: { request: (path: string, init?: RequestInit) => Promise<Response> }, body: unknown) {
  const response = await visitor.request("/api/widget/identify", { method: "POST", body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

/** Requests with a visitor token given by an identify. */
function withToken(token: string) {
  return {
    request(path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      if (init.body) headers.set("content-type", "application/json");
      return fetch(`${stack().url}${path}`, { ...init, headers });
    },
  };
}

async function contactOf(visitorId: string) {
  const [row] = await database()
    .select({ id: contacts.id, name: contacts.name, email: contacts.email, externalId: contacts.externalId })
    .from(visitors)
    .innerJoin(contacts, eq(contacts.id, visitors.contactId))
    .where(eq(visitors.id, visitorId));
  return row!;
}

describe("identify with a hash", () => {
  it("gives an anonymous visitor's contact the external id, name and e-mail, and logs it", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const answer = await identify(visitor, { id: "user-1", name: " Ann ", email: "Ann@Example.COM", hash: sign("user-1") });
    expect(answer).toEqual({ status: 200, body: { contact: { name: "Ann", email: "ann@example.com", phone: null }, verified: true } });
    expect(await contactOf(visitor.visitorId)).toMatchObject({ externalId: "user-1", name: "Ann", email: "ann@example.com" });
    const log = await database().select().from(events).where(and(eq(events.type, "contact_identified"), eq(events.actorId, visitor.visitorId)));
    expect(log).toMatchObject([{ workspaceId: tenant.workspaceId, actorKind: "visitor", data: { externalId: "user-1", verified: true } }]);
  });

  it("links a second browser to the same contact, with its earlier conversations", async () => {
    const laptop = await startVisitor(tenant.publicKey);
    await identify(laptop, { id: "user-2", name: "Bo", hash: sign("user-2") });
    const phone = await startVisitor(tenant.publicKey);
    const before = await phone.createConversation();
    const anonymous = (await contactOf(phone.visitorId)).id;

    const answer = await identify(phone, { id: "user-2", hash: sign("user-2") });
    expect(answer.body).toEqual({ contact: { name: "Bo", email: null, phone: null }, verified: true });
    const linked = await contactOf(phone.visitorId);
    expect(linked.id).toBe((await contactOf(laptop.visitorId)).id);
    expect(linked.id).not.toBe(anonymous);
    const [moved] = await database().select({ contactId: conversations.contactId }).from(conversations).where(eq(conversations.id, before));
    expect(moved!.contactId).toBe(linked.id);

    // Conversations started after the identify belong to that contact too, with the token given before it.
    const after = await phone.createConversation();
    const [row] = await database().select({ contactId: conversations.contactId }).from(conversations).where(eq(conversations.id, after));
    expect(row!.contactId).toBe(linked.id);
    // And a new session with the old token carries the new contact.
    const again = await fetch(`${stack().url}/api/widget/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ siteKey: tenant.publicKey, token: phone.token }),
    });
    expect(((await again.json()) as { contact: object; visitorId: string })).toMatchObject({ visitorId: phone.visitorId, contact: { name: "Bo" } });
  });

  it("moves another person on an identified browser to a new visitor, who sees none of the first one's conversations", async () => {
    const browser = await startVisitor(tenant.publicKey);
    const first = await identify(browser, { id: "user-3", name: "Cy", hash: sign("user-3") });
    expect(first.body).toEqual({ contact: { name: "Cy", email: null, phone: null }, verified: true });
    const theirs = await browser.createConversation();
    const firstContact = await contactOf(browser.visitorId);

    const second = await identify(browser, { id: "user-4", name: "Dee", hash: sign("user-4") });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ contact: { name: "Dee", email: null, phone: null }, verified: true });
    expect(second.body.token).toEqual(expect.any(String));
    expect(second.body.visitorId).not.toBe(browser.visitorId);
    const next = withToken(second.body.token);

    // The new visitor is user-4's, on the same site and workspace; the old one stays user-3's.
    const [row] = await database().select().from(visitors).where(eq(visitors.id, second.body.visitorId));
    expect(row).toMatchObject({ workspaceId: tenant.workspaceId, siteId: tenant.siteId });
    expect(await contactOf(second.body.visitorId)).toMatchObject({ externalId: "user-4", name: "Dee" });
    expect(await contactOf(browser.visitorId)).toEqual(firstContact);
    const [kept] = await database().select({ contactId: conversations.contactId }).from(conversations).where(eq(conversations.id, theirs));
    expect(kept!.contactId).toBe(firstContact.id);
    const log = await database().select().from(events).where(and(eq(events.type, "contact_identified"), eq(events.actorId, second.body.visitorId)));
    expect(log).toMatchObject([{ data: { externalId: "user-4", verified: true, previousVisitorId: browser.visitorId } }]);

    // With the new token, user-3's conversation is nowhere: not listed, not readable, not joinable.
    const list = (await (await next.request("/api/widget/conversations")).json()) as { conversations: { id: string }[] };
    expect(list.conversations).toEqual([]);
    expect((await next.request(`/api/widget/conversations/${theirs}/messages`)).status).toBe(404);
    const refused = new TestSocket(`/parties/conversation/${theirs}?token=${encodeURIComponent(second.body.token)}`);
    expect((await refused.closed).code).toBe(4404);
    expect(refused.frames).toMatchObject([{ type: "error", code: "not_found" }]);

    // The new visitor's own conversations work as anyone's.
    const own = await next.request("/api/widget/conversations", { method: "POST", body: JSON.stringify({}) });
    expect(own.status).toBe(201);
    const ownId = ((await own.json()) as { conversation: { id: string } }).conversation.id;
    const socket = await joinConversation(ownId, { token: second.body.token });
    expect(socket.frames.at(-1)).toMatchObject({ type: "conversation" });
    await socket.close();

    // Identifying again as the same person keeps the visitor: no new token.
    const again = await identify(next, { id: "user-4", hash: sign("user-4") });
    expect(again.body).toEqual({ contact: { name: "Dee", email: null, phone: null }, verified: true });
  });

  it("moves the browser to the visitor of a known person's contact when they sign in after another", async () => {
    const elsewhere = await startVisitor(tenant.publicKey);
    await identify(elsewhere, { id: "user-5", name: "Eve", hash: sign("user-5") });
    const browser = await startVisitor(tenant.publicKey);
    await identify(browser, { id: "user-6", hash: sign("user-6") });
    const answer = await identify(browser, { id: "user-5", hash: sign("user-5") });
    expect(answer.body).toMatchObject({ contact: { name: "Eve" }, verified: true, token: expect.any(String) });
    expect((await contactOf(answer.body.visitorId)).id).toBe((await contactOf(elsewhere.visitorId)).id);
    expect(await contactOf(browser.visitorId)).toMatchObject({ externalId: "user-6" });
  });

  it("does not reach a contact with the same external id in another workspace", async () => {
    const other = await createTenant("Identify other");
    await database().update(sites).set({ identitySecret: SECRET }).where(eq(sites.id, other.siteId));
    const here = await startVisitor(tenant.publicKey);
    const there = await startVisitor(other.publicKey);
    await identify(here, { id: "shared-id", name: "Here", hash: sign("shared-id") });
    const answer = await identify(there, { id: "shared-id", hash: sign("shared-id") });
    expect(answer.body.contact.name).toBeNull();
    expect((await contactOf(there.visitorId)).id).not.toBe((await contactOf(here.visitorId)).id);
  });

  it("refuses a wrong hash with 403 and changes nothing", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const before = await contactOf(visitor.visitorId);
    for (const hash of [sign("user-1", "another-secret"), sign("someone-else"), "0".repeat(64)]) {
      const answer = await identify(visitor, { id: "user-1", name: "Mallory", hash });
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe("bad_identity_hash");
    }
    expect(await contactOf(visitor.visitorId)).toEqual(before);
  });

  it("takes a hash in upper-case hex too", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const answer = await identify(visitor, { id: "user-upper", hash: sign("user-upper").toUpperCase() });
    expect(answer).toMatchObject({ status: 200, body: { verified: true } });
    expect(await contactOf(visitor.visitorId)).toMatchObject({ externalId: "user-upper" });
  });

  it("checks against the demo site's documented secret", async () => {
    const visitor = await startVisitor(DEMO.siteKey);
    const answer = await identify(visitor, { id: "demo-user", hash: sign("demo-user", "demo-identity-secret") });
    expect(answer).toMatchObject({ status: 200, body: { verified: true } });
  });
});

describe("identify without a hash", () => {
  it("stores only the name and e-mail on the visitor's own contact, never joining another", async () => {
    const owner = await startVisitor(tenant.publicKey);
    await identify(owner, { id: "user-9", name: "Real", hash: sign("user-9") });
    const stranger = await startVisitor(tenant.publicKey);
    const own = await contactOf(stranger.visitorId);
    const answer = await identify(stranger, { id: "user-9", name: "Pretender", email: "p@example.com" });
    expect(answer).toEqual({ status: 200, body: { contact: { name: "Pretender", email: "p@example.com", phone: null }, verified: false } });
    expect(await contactOf(stranger.visitorId)).toMatchObject({ id: own.id, externalId: null, name: "Pretender" });
    expect(await contactOf(owner.visitorId)).toMatchObject({ externalId: "user-9", name: "Real" });
  });

  it("does not overwrite the name or e-mail of a contact the site vouched for", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    await identify(visitor, { id: "user-10", name: "Vouched", email: "v@example.com", hash: sign("user-10") });
    const answer = await identify(visitor, { id: "user-10", name: "Forged", email: "forged@example.com" });
    expect(answer).toEqual({ status: 200, body: { contact: { name: "Vouched", email: "v@example.com", phone: null }, verified: false } });
    expect(await contactOf(visitor.visitorId)).toMatchObject({ externalId: "user-10", name: "Vouched", email: "v@example.com" });
    // Nor under another id: without a hash nothing moves.
    await identify(visitor, { id: "user-11", name: "Other" });
    expect(await contactOf(visitor.visitorId)).toMatchObject({ externalId: "user-10", name: "Vouched" });
  });

  it("is refused on a site that requires identity", async () => {
    const strict = await createTenant("Strict");
    await database().update(sites).set({ identitySecret: SECRET, identityRequired: true }).where(eq(sites.id, strict.siteId));
    const visitor = await startVisitor(strict.publicKey);
    const answer = await identify(visitor, { id: "user-1", name: "Anon" });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe("identity_required");
    expect((await contactOf(visitor.visitorId)).name).toBeNull();
    expect((await identify(visitor, { id: "user-1", hash: sign("user-1") })).status).toBe(200);
  });
});

describe("identify: bad input", () => {
  it.each([
    ["no id", { name: "x" }],
    ["an empty id", { id: "" }],
    ["a long id", { id: "x".repeat(257) }],
    ["a long name", { id: "a", name: "x".repeat(201) }],
    ["a bad e-mail", { id: "a", email: "not-an-email" }],
    ["a hash with a non-hex digit", { id: "a", hash: "g".repeat(64) }],
    ["a short hash", { id: "a", hash: "abc" }],
    ["a number id", { id: 42 }],
  ])("refuses %s with 400", async (_name, body) => {
    const visitor = await startVisitor(tenant.publicKey);
    const answer = await identify(visitor, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("invalid_request");
  });

  it("needs a visitor token", async () => {
    const response = await fetch(`${stack().url}/api/widget/identify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "a" }),
    });
    expect(response.status).toBe(401);
  });
});
