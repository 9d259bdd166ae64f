import { and, asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, signIn, startVisitor, type Tenant } from "../../../scripts/test-kit/clients";
import { contacts, conversations, events, pageViews, sites, visitors } from "../db/schema";

// The pre-chat form and the offline e-mail request (W4, W12); the topic and
// navigation trail that come with a new conversation (W3, W4).

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("Contact");
});

type Visitor = Awaited<ReturnType<typeof startVisitor>>;

async function patchContact(visitor: Visitor, body: unknown) {
  const response = await visitor.request("/api/widget/contact", { method: "PATCH", body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

async function storedContact(visitorId: string) {
  const [row] = await database()
    .select({ id: contacts.id, name: contacts.name, email: contacts.email, phone: contacts.phone })
    .from(visitors)
    .innerJoin(contacts, eq(contacts.id, visitors.contactId))
    .where(eq(visitors.id, visitorId));
  return row!;
}

describe("PATCH /api/widget/contact", () => {
  it("stores what the customer gave and logs the changed fields", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const first = await patchContact(visitor, { name: "  Olena  ", email: " Olena@Example.com " });
    expect(first).toEqual({ status: 200, body: { contact: { name: "Olena", email: "olena@example.com", phone: null } } });
    const second = await patchContact(visitor, { name: "Olena", phone: "+380 (44) 123-45-67" });
    expect(second.body.contact).toEqual({ name: "Olena", email: "olena@example.com", phone: "+380 (44) 123-45-67" });
    expect(await storedContact(visitor.visitorId)).toMatchObject(second.body.contact);

    const log = await database()
      .select({ data: events.data, workspaceId: events.workspaceId })
      .from(events)
      .where(and(eq(events.type, "contact_updated"), eq(events.actorId, visitor.visitorId)))
      .orderBy(asc(events.id));
    // The unchanged name is not logged as a change.
    expect(log.map((e) => (e.data as { fields: string[] }).fields)).toEqual([["name", "email"], ["phone"]]);
    expect(log[0]!.workspaceId).toBe(tenant.workspaceId);
  });

  it("writes nothing when nothing changed", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    await patchContact(visitor, { email: "same@example.com" });
    await patchContact(visitor, { email: "same@example.com" });
    const log = await database().select().from(events).where(and(eq(events.type, "contact_updated"), eq(events.actorId, visitor.visitorId)));
    expect(log).toHaveLength(1);
  });

  it.each([
    ["nothing", {}],
    ["an empty name", { name: "   " }],
    ["a long name", { name: "x".repeat(201) }],
    ["a bad e-mail", { email: "olena@" }],
    ["a long e-mail", { email: `${"a".repeat(250)}@example.com` }],
    ["a phone with letters", { phone: "call me maybe" }],
    ["a short phone", { phone: "123" }],
    ["a long phone", { phone: "1".repeat(21) }],
    ["a number for a name", { name: 7 }],
    ["not JSON", "{"],
  ])("refuses %s with 400", async (_name, body) => {
    const visitor = await startVisitor(tenant.publicKey);
    const answer = await patchContact(visitor, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toMatch(/invalid_request|bad_request/);
    expect(await storedContact(visitor.visitorId)).toMatchObject({ name: null, email: null, phone: null });
  });
});

describe("a new conversation's topic and trail", () => {
  it("stores the topic and each page of the trail, which operators see", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const now = Date.now();
    const trail = [
      { url: "https://shop.example/", title: "Shop", at: now - 60_000 },
      { url: "https://shop.example/pricing", at: now - 30_000 },
      { url: "https://shop.example/checkout", title: "Checkout", at: now - 1000 },
    ];
    const context = { url: "https://shop.example/checkout", custom: { orderId: "123" } };
    const response = await visitor.request("/api/widget/conversations", { method: "POST", body: JSON.stringify({ context, topic: " Billing ", trail }) });
    expect(response.status).toBe(201);
    const { conversation } = (await response.json()) as { conversation: { id: string } };

    const [row] = await database().select({ topic: conversations.topic, context: conversations.context }).from(conversations).where(eq(conversations.id, conversation.id));
    expect(row).toEqual({ topic: "Billing", context });
    const views = await database()
      .select({ url: pageViews.url, title: pageViews.title, at: pageViews.at, visitorId: pageViews.visitorId, workspaceId: pageViews.workspaceId })
      .from(pageViews)
      .where(eq(pageViews.conversationId, conversation.id))
      .orderBy(asc(pageViews.at));
    expect(views).toEqual(trail.map((v) => ({ url: v.url, title: v.title ?? null, at: v.at, visitorId: visitor.visitorId, workspaceId: tenant.workspaceId })));

    const operator = await signIn(tenant.owner.email, tenant.owner.password);
    const detail = (await (await operator.request(`/api/ops/conversations/${conversation.id}`)).json()) as { trail?: { url: string }[]; context: object };
    expect(detail.context).toEqual(context);
    expect(detail.trail?.map((v) => v.url)).toEqual(trail.map((v) => v.url).reverse());
  });

  it("keeps no page later than the conversation's start (a browser's clock may run fast)", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const future = Date.now() + 3_600_000;
    const trail = [{ url: "https://shop.example/past", at: 1000 }, { url: "https://shop.example/future", at: future }];
    const response = await visitor.request("/api/widget/conversations", { method: "POST", body: JSON.stringify({ trail }) });
    const { conversation } = (await response.json()) as { conversation: { id: string } };
    const [row] = await database().select({ createdAt: conversations.createdAt }).from(conversations).where(eq(conversations.id, conversation.id));
    const views = await database().select({ url: pageViews.url, at: pageViews.at }).from(pageViews).where(eq(pageViews.conversationId, conversation.id)).orderBy(asc(pageViews.at));
    expect(views).toEqual([{ url: "https://shop.example/past", at: 1000 }, { url: "https://shop.example/future", at: row!.createdAt }]);
  });

  it("takes only a topic from the site's list when the site has one", async () => {
    const site = await createTenant("Topics");
    const form = { fields: [{ name: "topic", required: true }], topics: ["Billing", "Delivery"] };
    await database().update(sites).set({ prechatForm: form }).where(eq(sites.id, site.siteId));
    const visitor = await startVisitor(site.publicKey);
    const start = (topic: unknown) => visitor.request("/api/widget/conversations", { method: "POST", body: JSON.stringify({ topic }) });

    const refused = await start("Free text");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: { code: "bad_topic", message: 'topic must be one of this site\'s pre-chat topics: "Billing", "Delivery"' } });
    expect(await database().select().from(conversations).where(eq(conversations.visitorId, visitor.visitorId))).toEqual([]);

    const taken = await start(" Delivery ");
    expect(taken.status).toBe(201);
    const { conversation } = (await taken.json()) as { conversation: { id: string } };
    const [row] = await database().select({ topic: conversations.topic }).from(conversations).where(eq(conversations.id, conversation.id));
    expect(row!.topic).toBe("Delivery");
  });

  it("stores the conversation, its topic and its trail together or not at all", async () => {
    // A page insert that fails (as a lost connection would) must take the conversation with it.
    const tag = Date.now();
    const failing = `https://fail.example/${tag}`;
    await database().run(sql.raw(`CREATE TRIGGER fail_page_view_${tag} BEFORE INSERT ON page_views WHEN NEW.url = '${failing}' BEGIN SELECT RAISE(ABORT, 'test: page view refused'); END`));
    const visitor = await startVisitor(tenant.publicKey);
    const trail = [{ url: "https://shop.example/", at: 1 }, { url: failing, at: 2 }];
    const response = await visitor.request("/api/widget/conversations", { method: "POST", body: JSON.stringify({ topic: "Billing", trail }) });
    await database().run(sql.raw(`DROP TRIGGER fail_page_view_${tag}`));
    expect(response.status).toBe(500);
    expect(await database().select().from(conversations).where(eq(conversations.visitorId, visitor.visitorId))).toEqual([]);
    expect(await database().select().from(pageViews).where(eq(pageViews.visitorId, visitor.visitorId))).toEqual([]);
  });

  it("starts without a topic or trail as before", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const [row] = await database().select({ topic: conversations.topic }).from(conversations).where(eq(conversations.id, id));
    expect(row!.topic).toBeNull();
    expect(await database().select().from(pageViews).where(eq(pageViews.conversationId, id))).toEqual([]);
  });

  it.each([
    ["a long topic", { topic: "x".repeat(101) }],
    ["a topic that is not text", { topic: 3 }],
    ["51 pages", { trail: Array.from({ length: 51 }, (_, i) => ({ url: `https://shop.example/${i}`, at: i })) }],
    ["a page without a time", { trail: [{ url: "https://shop.example/" }] }],
    ["a fractional time", { trail: [{ url: "https://shop.example/", at: 1.5 }] }],
    ["a negative time", { trail: [{ url: "https://shop.example/", at: -1 }] }],
    ["a long url", { trail: [{ url: `https://shop.example/${"x".repeat(2048)}`, at: 1 }] }],
    ["a long title", { trail: [{ url: "https://shop.example/", title: "t".repeat(513), at: 1 }] }],
    ["a trail that is not a list", { trail: "https://shop.example/" }],
  ])("refuses %s with 400 and starts nothing", async (_name, body) => {
    const visitor = await startVisitor(tenant.publicKey);
    const response = await visitor.request("/api/widget/conversations", { method: "POST", body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_request" } });
    expect(await database().select().from(conversations).where(eq(conversations.visitorId, visitor.visitorId))).toEqual([]);
  });
});
