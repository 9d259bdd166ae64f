import { createHmac } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../../../scripts/seed";
import { createTenant, database, stack, startVisitor, type Tenant } from "../../../scripts/test-kit/clients";
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

  it("gives another person on an identified browser their own contact", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    await identify(visitor, { id: "user-3", hash: sign("user-3") });
    const first = await contactOf(visitor.visitorId);
    const conversation = await visitor.createConversation();
    await identify(visitor, { id: "user-4", name: "Dee", hash: sign("user-4") });
    const second = await contactOf(visitor.visitorId);
    expect(second).toMatchObject({ externalId: "user-4", name: "Dee" });
    expect(second.id).not.toBe(first.id);
    // user-3 keeps their id and their conversation.
    const [kept] = await database().select().from(contacts).where(eq(contacts.id, first.id));
    expect(kept!.externalId).toBe("user-3");
    const [row] = await database().select({ contactId: conversations.contactId }).from(conversations).where(eq(conversations.id, conversation));
    expect(row!.contactId).toBe(first.id);
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
    ["an upper-case hash", { id: "a", hash: sign("a").toUpperCase() }],
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
