import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createTenant,
  database,
  joinConversation,
  say,
  signIn,
  startVisitor,
  type Operator,
  type Tenant,
  type Visitor,
} from "../../../scripts/test-kit/clients";
import { contacts, sites, visitors } from "../db/schema";

// A3: a customer's self-asserted identity must not look like a verified one.
// The site vouches for a customer with an identify hash; operators see that
// as verified on the card, in the inbox and in search, and anything typed in
// the chat as unverified. Nothing typed in the chat joins anyone's contact.

const SECRET = "verified-identity-secret";
const sign = (id: string) => createHmac("sha256", SECRET).update(id).digest("hex");

let tenant: Tenant;
let operator: Operator;

beforeAll(async () => {
  tenant = await createTenant("Verified");
  // Enforcement on: the finding was reproduced with identity_required.
  await database().update(sites).set({ identitySecret: SECRET, identityRequired: true }).where(eq(sites.id, tenant.siteId));
  operator = await signIn(tenant.owner.email, tenant.owner.password);
});

async function send(visitor: Visitor, method: string, path: string, body: unknown) {
  const response = await visitor.request(path, { method, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

/** The customer writes and asks for a person, so the conversation waits in the inbox. */
async function waitsInInbox(visitor: Visitor, text: string) {
  const id = await visitor.createConversation();
  const socket = await joinConversation(id, { token: visitor.token });
  await say(socket, `${text} Can a human help me?`);
  await socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
  await socket.close();
  return id;
}

async function card(conversationId: string) {
  const detail = (await (await operator.request(`/api/ops/conversations/${conversationId}`)).json()) as any;
  return detail.contact;
}

async function inboxRow(conversationId: string) {
  const inbox = (await (await operator.request("/api/ops/inbox")).json()) as { conversations: any[] };
  return inbox.conversations.find((c) => c.id === conversationId);
}

async function search(q: string) {
  const answer = (await (await operator.request(`/api/ops/search?q=${encodeURIComponent(q)}`)).json()) as { results: any[] };
  return answer.results;
}

describe("a customer the site vouched for", () => {
  let real: string;
  let impostor: string;

  beforeAll(async () => {
    const customer = await startVisitor(tenant.publicKey);
    const identified = await send(customer, "POST", "/api/widget/identify", { id: "vic-42", name: "Vic Tim", email: "victim@example.com", hash: sign("vic-42") });
    expect(identified).toMatchObject({ status: 200, body: { verified: true } });
    real = await waitsInInbox(customer, "Real Vic here.");

    // The finding: a fresh anonymous token claims the same name and e-mail from the chat.
    const stranger = await startVisitor(tenant.publicKey);
    const claimed = await send(stranger, "PATCH", "/api/widget/contact", { name: "Vic Tim", email: "victim@example.com" });
    // Kept for the reply (a pre-chat form on an identity-required site still works), but as the customer's word only.
    expect(claimed).toEqual({ status: 200, body: { contact: { name: "Vic Tim", email: "victim@example.com", phone: null } } });
    impostor = await waitsInInbox(stranger, "Also Vic.");
  });

  it("shows as verified on the card, with the site's id, and the impostor as unverified", async () => {
    expect(await card(real)).toMatchObject({
      name: "Vic Tim",
      email: "victim@example.com",
      externalId: "vic-42",
      verified: true,
      nameVerified: true,
      emailVerified: true,
    });
    const fake = await card(impostor);
    expect(fake).toMatchObject({ name: "Vic Tim", email: "victim@example.com", externalId: null, verified: false, nameVerified: false, emailVerified: false });
    // Never merged on the name or e-mail.
    expect(fake.id).not.toBe((await card(real)).id);
  });

  it("shows as verified in the inbox and in search results, and the impostor as not", async () => {
    expect(await inboxRow(real)).toMatchObject({ visitorName: "Vic Tim", visitorVerified: true });
    expect(await inboxRow(impostor)).toMatchObject({ visitorName: "Vic Tim", visitorVerified: false });
    const listed = (await (await operator.request("/api/ops/conversations?status=queued")).json()) as { conversations: any[] };
    expect(listed.conversations.find((c) => c.id === real)).toMatchObject({ visitorVerified: true });

    for (const q of ["victim@example", "Vic Tim"]) {
      const hits = await search(q);
      expect(hits.find((h) => h.conversationId === real)).toMatchObject({ customer: "Vic Tim", verified: true });
      expect(hits.find((h) => h.conversationId === impostor)).toMatchObject({ customer: "Vic Tim", verified: false });
    }
  });
});

describe("what the site vouched for", () => {
  it("cannot be changed from the chat, while what it did not give can be added, as the customer's word", async () => {
    const customer = await startVisitor(tenant.publicKey);
    await send(customer, "POST", "/api/widget/identify", { id: "olena-1", name: "Olena", hash: sign("olena-1") });
    const conversation = await waitsInInbox(customer, "Hi.");

    const renamed = await send(customer, "PATCH", "/api/widget/contact", { name: "Vic Tim" });
    expect(renamed).toEqual({
      status: 409,
      body: { error: { code: "verified_by_site", message: "the site gave this name when the customer signed in; it cannot be changed from the chat" } },
    });
    // The same name again changes nothing and is fine; an e-mail the site did not give is taken.
    expect((await send(customer, "PATCH", "/api/widget/contact", { name: "Olena" })).status).toBe(200);
    const added = await send(customer, "PATCH", "/api/widget/contact", { email: "olena@example.com", phone: "+380 44 123 45 67" });
    expect(added.body.contact).toEqual({ name: "Olena", email: "olena@example.com", phone: "+380 44 123 45 67" });
    expect(await card(conversation)).toMatchObject({ name: "Olena", nameVerified: true, email: "olena@example.com", emailVerified: false, verified: true });
  });

  it("shows as unverified once an operator writes over it, and verified again when the site says it again", async () => {
    const customer = await startVisitor(tenant.publicKey);
    await send(customer, "POST", "/api/widget/identify", { id: "petro-1", name: "Petro", email: "petro@example.com", hash: sign("petro-1") });
    const conversation = await waitsInInbox(customer, "Hello.");
    const { id } = await card(conversation);

    const edited = await operator.request(`/api/ops/workbench/contacts/${id}`, { method: "PATCH", body: JSON.stringify({ name: "Pete" }) });
    expect(await edited.json()).toEqual({
      contact: { id, name: "Pete", email: "petro@example.com", phone: null, externalId: "petro-1", verified: true, nameVerified: false, emailVerified: true },
    });
    expect(await inboxRow(conversation)).toMatchObject({ visitorName: "Pete", visitorVerified: false });

    await send(customer, "POST", "/api/widget/identify", { id: "petro-1", name: "Petro", hash: sign("petro-1") });
    expect(await card(conversation)).toMatchObject({ name: "Petro", nameVerified: true });
  });

  it("does not cover a name the customer typed before signing in without giving one", async () => {
    const customer = await startVisitor(tenant.publicKey);
    await send(customer, "PATCH", "/api/widget/contact", { name: "Typed Name" });
    const conversation = await waitsInInbox(customer, "Question.");
    await send(customer, "POST", "/api/widget/identify", { id: "no-name-1", hash: sign("no-name-1") });
    expect(await card(conversation)).toMatchObject({ name: "Typed Name", externalId: "no-name-1", verified: true, nameVerified: false });
    expect(await inboxRow(conversation)).toMatchObject({ visitorVerified: false });
  });
});

describe("identify without a hash on a site that requires one", () => {
  it("is refused, so the chat's words never reach the contact the site knows", async () => {
    const owner = await startVisitor(tenant.publicKey);
    await send(owner, "POST", "/api/widget/identify", { id: "anna-7", name: "Anna", hash: sign("anna-7") });
    const stranger = await startVisitor(tenant.publicKey);
    const refused = await send(stranger, "POST", "/api/widget/identify", { id: "anna-7", name: "Anna" });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: "identity_required" } } });
    const [row] = await database()
      .select({ externalId: contacts.externalId, verifiedAt: contacts.verifiedAt })
      .from(visitors)
      .innerJoin(contacts, eq(contacts.id, visitors.contactId))
      .where(eq(visitors.id, stranger.visitorId));
    expect(row).toEqual({ externalId: null, verifiedAt: null });
  });
});
