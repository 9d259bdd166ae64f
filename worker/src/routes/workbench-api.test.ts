import { newId } from "@tandem/protocol";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, customerWrites, database, joinConversation, say, signIn, stack, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { contacts, events } from "../db/schema";
import { addOperator } from "../workspaces/create-workspace";

// The workbench API through the running Worker: every route, its bad inputs,
// its role rules, and the other workspace's ids answering 404.

let tenant: Tenant;
let owner: Operator;
let agent: Operator;
let supervisor: Operator;
let stranger: Operator;
let conversationId: string;
let contactId: string;
let strangerConversation: string;

const W = "/api/ops/workbench";

function json(op: Operator, method: string, path: string, body?: unknown) {
  return op.request(`${W}${path}`, { method, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
}

async function contactOf(op: Operator, id: string) {
  const detail = (await (await op.request(`/api/ops/conversations/${id}`)).json()) as { contact: { id: string } };
  return detail.contact.id;
}

beforeAll(async () => {
  tenant = await createTenant("Bench");
  const other = await createTenant("Other");
  const sup = { email: `sup-${newId().toLowerCase()}@example.test`, name: "Sam Super", password: tenant.owner.password, role: "supervisor" as const };
  await addOperator(database(), tenant.workspaceId, sup);
  [owner, agent, supervisor, stranger] = await Promise.all([
    signIn(tenant.owner.email, tenant.owner.password),
    signIn(tenant.agent.email, tenant.agent.password),
    signIn(sup.email, sup.password),
    signIn(other.owner.email, other.owner.password),
  ]);
  conversationId = (await customerWrites(tenant.publicKey, "Where is my parcel?")).id;
  contactId = await contactOf(agent, conversationId);
  strangerConversation = (await customerWrites(other.publicKey, "Hello from elsewhere")).id;
});

describe("the customer card", () => {
  it("lets an operator correct the e-mail and logs old and new value with who did it", async () => {
    const response = await json(agent, "PATCH", `/contacts/${contactId}`, { email: " Ann@Example.TEST ", name: "Ann" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      contact: { id: contactId, name: "Ann", email: "ann@example.test", phone: null, externalId: null, verified: false, nameVerified: false, emailVerified: false },
    });
    const [stored] = await database().select().from(contacts).where(eq(contacts.id, contactId));
    expect(stored.email).toBe("ann@example.test");
    const logged = await database()
      .select()
      .from(events)
      .where(and(eq(events.workspaceId, tenant.workspaceId), eq(events.type, "contact_edited")));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      actorKind: "operator",
      actorId: agent.id,
      data: { contactId, changes: { email: { from: null, to: "ann@example.test" }, name: { from: null, to: "Ann" } } },
    });
  });

  it("writes nothing when nothing changes, and clears a field with null", async () => {
    await json(agent, "PATCH", `/contacts/${contactId}`, { email: "ann@example.test" });
    const cleared = await json(agent, "PATCH", `/contacts/${contactId}`, { name: null });
    expect(((await cleared.json()) as { contact: { name: unknown } }).contact.name).toBeNull();
    const logged = await database().select().from(events).where(and(eq(events.workspaceId, tenant.workspaceId), eq(events.type, "contact_edited")));
    expect(logged).toHaveLength(2);
  });

  it("refuses bad fields with a 400 and names the problem", async () => {
    for (const body of [{ email: "not an email" }, { phone: "call me" }, {}, { name: "" }, "{bad json"]) {
      const response = await json(agent, "PATCH", `/contacts/${contactId}`, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(/invalid_request|bad_request/);
    }
  });

  it("lists the contact's conversations, newest first", async () => {
    const response = await json(agent, "GET", `/contacts/${contactId}/conversations`);
    expect(response.status).toBe(200);
    const { conversations } = (await response.json()) as { conversations: { id: string; status: string }[] };
    expect(conversations.map((c) => c.id)).toEqual([conversationId]);
    expect(conversations[0].status).toBe("queued");
  });

  it("answers another workspace's contact and conversation with 404 and changes nothing", async () => {
    const edit = await json(stranger, "PATCH", `/contacts/${contactId}`, { email: "evil@example.test" });
    expect(edit.status).toBe(404);
    expect((await json(stranger, "GET", `/contacts/${contactId}/conversations`)).status).toBe(404);
    for (const path of ["card", "notes"]) {
      expect((await json(stranger, "GET", `/conversations/${conversationId}/${path}`)).status).toBe(404);
    }
    expect((await json(stranger, "POST", `/conversations/${conversationId}/notes`, { body: "peek" })).status).toBe(404);
    expect((await json(stranger, "POST", `/conversations/${conversationId}/tags`, { name: "x" })).status).toBe(404);
    const [stored] = await database().select().from(contacts).where(eq(contacts.id, contactId));
    expect(stored.email).toBe("ann@example.test");
  });

  it("refuses anyone not signed in", async () => {
    const response = await fetch(`${stack().url}${W}/canned`);
    expect(response.status).toBe(401);
  });
});

describe("canned replies", () => {
  let personal: string;
  let shared: string;

  it("makes a personal reply for any operator and a workspace-wide one for admins only", async () => {
    const mine = await json(agent, "POST", "/canned", { shortcut: "Hello", body: "Hi {name}, this is {operator}." });
    expect(mine.status).toBe(201);
    const reply = ((await mine.json()) as { reply: { id: string; shortcut: string; shared: boolean } }).reply;
    expect(reply).toMatchObject({ shortcut: "hello", shared: false });
    personal = reply.id;

    expect((await json(agent, "POST", "/canned", { shortcut: "bye", body: "Bye", shared: true })).status).toBe(403);
    expect((await json(supervisor, "POST", "/canned", { shortcut: "bye", body: "Bye", shared: true })).status).toBe(403);
    const made = await json(owner, "POST", "/canned", { shortcut: "bye", body: "Goodbye!", shared: true });
    expect(made.status).toBe(201);
    shared = ((await made.json()) as { reply: { id: string } }).reply.id;
  });

  it("shows everyone the shared replies and only their own personal ones", async () => {
    const list = async (op: Operator) =>
      ((await (await json(op, "GET", "/canned")).json()) as { replies: { shortcut: string }[] }).replies.map((r) => r.shortcut);
    expect(await list(agent)).toEqual(["bye", "hello"]);
    expect(await list(owner)).toEqual(["bye"]);
    expect(await list(stranger)).toEqual([]);
  });

  it("lets the author edit their own, admins the shared ones, and hides the rest", async () => {
    const edited = await json(agent, "PATCH", `/canned/${personal}`, { body: "Hello {name}!" });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { reply: { body: string } }).reply.body).toBe("Hello {name}!");
    expect((await json(owner, "PATCH", `/canned/${personal}`, { body: "mine now" })).status).toBe(404);
    expect((await json(stranger, "PATCH", `/canned/${shared}`, { body: "x" })).status).toBe(404);
    expect((await json(stranger, "DELETE", `/canned/${shared}`)).status).toBe(404);
    expect((await json(agent, "PATCH", `/canned/${shared}`, { body: "x" })).status).toBe(403);
    expect((await json(agent, "DELETE", `/canned/${shared}`)).status).toBe(403);
    expect((await json(owner, "PATCH", `/canned/${shared}`, { shortcut: "goodbye" })).status).toBe(200);
  });

  it("refuses bad input", async () => {
    for (const body of [{ shortcut: "has space", body: "x" }, { shortcut: "ok", body: "  " }, { shortcut: "", body: "x" }, { shortcut: "x".repeat(33), body: "x" }]) {
      expect((await json(agent, "POST", "/canned", body)).status).toBe(400);
    }
    expect((await json(agent, "PATCH", `/canned/${personal}`, {})).status).toBe(400);
  });

  it("deletes", async () => {
    expect((await json(agent, "DELETE", `/canned/${personal}`)).status).toBe(200);
    expect((await json(agent, "DELETE", `/canned/${personal}`)).status).toBe(404);
    expect((await json(owner, "DELETE", `/canned/${shared}`)).status).toBe(200);
  });
});

describe("tags", () => {
  let tagId: string;

  it("creates a tag on the fly from a conversation and reuses one by the same name", async () => {
    const first = await json(agent, "POST", `/conversations/${conversationId}/tags`, { name: "Refund", color: "#DC2626" });
    expect(first.status).toBe(200);
    const body = (await first.json()) as { tag: { id: string; color: string }; tags: { name: string }[] };
    tagId = body.tag.id;
    expect(body.tag.color).toBe("#dc2626");
    expect(body.tags.map((t) => t.name)).toEqual(["Refund"]);
    const again = await json(agent, "POST", `/conversations/${conversationId}/tags`, { name: "refund" });
    expect(((await again.json()) as { tag: { id: string } }).tag.id).toBe(tagId);
    const card = (await (await json(agent, "GET", `/conversations/${conversationId}/card`)).json()) as { tags: unknown[]; contactId: string };
    expect(card.tags).toHaveLength(1);
    expect(card.contactId).toBe(contactId);
    const logged = await database().select().from(events).where(and(eq(events.conversationId, conversationId), eq(events.type, "tag_added")));
    expect(logged).toHaveLength(1);
  });

  it("refuses a duplicate name, bad colours and another workspace's tag", async () => {
    expect((await json(agent, "POST", "/tags", { name: "REFUND" })).status).toBe(409);
    expect((await json(agent, "POST", "/tags", { name: "Blue", color: "blue" })).status).toBe(400);
    expect((await json(agent, "POST", "/tags", { name: "" })).status).toBe(400);
    expect((await json(agent, "POST", `/conversations/${conversationId}/tags`, { tagId: "nope" })).status).toBe(400);
    const theirs = (await (await json(stranger, "POST", "/tags", { name: "Theirs" })).json()) as { tag: { id: string } };
    expect((await json(agent, "POST", `/conversations/${conversationId}/tags`, { tagId: theirs.tag.id })).status).toBe(404);
    expect((await json(stranger, "POST", `/conversations/${strangerConversation}/tags`, { tagId })).status).toBe(404);
    expect(((await (await json(stranger, "GET", "/tags")).json()) as { tags: { name: string }[] }).tags.map((t) => t.name)).toEqual(["Theirs"]);
  });

  it("lets supervisors rename and recolour, not operators, not another workspace", async () => {
    expect((await json(agent, "PATCH", `/tags/${tagId}`, { name: "Refunds" })).status).toBe(403);
    expect((await json(stranger, "PATCH", `/tags/${tagId}`, { name: "Mine" })).status).toBe(404);
    const renamed = await json(supervisor, "PATCH", `/tags/${tagId}`, { name: "Refunds", color: "#16a34a" });
    expect(await renamed.json()).toEqual({ tag: { id: tagId, name: "Refunds", color: "#16a34a" } });
    await json(owner, "POST", "/tags", { name: "Billing" });
    expect((await json(owner, "PATCH", `/tags/${tagId}`, { name: "billing" })).status).toBe(409);
    expect((await json(owner, "PATCH", `/tags/${tagId}`, {})).status).toBe(400);
  });

  it("takes a tag off a conversation, and deletes it everywhere (supervisor+)", async () => {
    expect((await json(agent, "DELETE", `/conversations/${conversationId}/tags/${tagId}`)).status).toBe(200);
    expect((await json(agent, "DELETE", `/conversations/${conversationId}/tags/${tagId}`)).status).toBe(404);
    await json(agent, "POST", `/conversations/${conversationId}/tags`, { tagId });
    expect((await json(agent, "DELETE", `/tags/${tagId}`)).status).toBe(403);
    expect((await json(stranger, "DELETE", `/tags/${tagId}`)).status).toBe(404);
    expect((await json(supervisor, "DELETE", `/tags/${tagId}`)).status).toBe(200);
    const card = (await (await json(agent, "GET", `/conversations/${conversationId}/card`)).json()) as { tags: unknown[] };
    expect(card.tags).toEqual([]);
  });
});

describe("private notes", () => {
  it("adds and lists notes with their author, for operators of the workspace only", async () => {
    const made = await json(agent, "POST", `/conversations/${conversationId}/notes`, { body: "  VIP customer, be gentle  " });
    expect(made.status).toBe(201);
    const { note } = (await made.json()) as { note: { body: string; author: { id: string; name: string } } };
    expect(note.body).toBe("VIP customer, be gentle");
    expect(note.author).toEqual({ id: agent.id, name: tenant.agent.name });
    const listed = (await (await json(owner, "GET", `/conversations/${conversationId}/notes`)).json()) as { notes: unknown[] };
    expect(listed.notes).toHaveLength(1);
    expect((await json(agent, "POST", `/conversations/${conversationId}/notes`, { body: " " })).status).toBe(400);
    expect((await json(agent, "POST", `/conversations/${conversationId}/notes`, { body: "x".repeat(5001) })).status).toBe(400);
    expect((await json(agent, "GET", `/conversations/${strangerConversation}/notes`)).status).toBe(404);
  });

  it("tells the other operators in the room to read the card again, and never the customer", async () => {
    const { id, visitor } = await customerWrites(tenant.publicKey, "watch my card");
    const [ownerRoom, customerRoom] = await Promise.all([joinConversation(id, { cookie: owner.cookie }), joinConversation(id, { token: visitor.token })]);
    let from = ownerRoom.frames.length;
    expect((await json(agent, "POST", `/conversations/${id}/notes`, { body: "internal only" })).status).toBe(201);
    await ownerRoom.next((f) => f.type === "card", { from });
    from = ownerRoom.frames.length;
    expect((await json(agent, "POST", `/conversations/${id}/tags`, { name: "live-tag", color: "#0ea5e9" })).status).toBe(200);
    await ownerRoom.next((f) => f.type === "card", { from });

    // The customer's own message comes back after anything the room sent before it: no card, no note.
    await say(customerRoom, "anyone?");
    expect(customerRoom.frames.filter((f) => f.type === "card")).toEqual([]);
    expect(JSON.stringify(customerRoom.frames)).not.toContain("internal only");
    await Promise.all([ownerRoom.close(), customerRoom.close()]);
  });
});
