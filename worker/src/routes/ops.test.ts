import { newId } from "@tandem/protocol";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createTenant,
  customerWrites,
  database,
  joinConversation,
  say,
  signIn,
  stack,
  startVisitor,
  type Operator,
  type Tenant,
} from "../../../scripts/test-kit/clients";
import { events, messages, sessions } from "../db/schema";

let tenant: Tenant;
let owner: Operator;
let agent: Operator;

beforeAll(async () => {
  tenant = await createTenant("Ops");
  [owner, agent] = await Promise.all([
    signIn(tenant.owner.email, tenant.owner.password),
    signIn(tenant.agent.email, tenant.agent.password),
  ]);
});

function queuedConversation(text?: string) {
  return customerWrites(tenant.publicKey, text);
}

function login(body: unknown, contentType = "application/json") {
  return fetch(`${stack().url}/api/ops/login`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("sign-in", () => {
  it("sets an HttpOnly, SameSite session cookie and stores only a hash of it", async () => {
    const response = await login({ email: tenant.agent.email.toUpperCase(), password: tenant.agent.password });
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^tandem_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const token = cookie.split(";")[0].split("=")[1];
    const stored = await database().select().from(sessions).where(eq(sessions.operatorId, tenant.agent.id));
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((s) => s.tokenHash === token)).toBe(false);
  });

  it("answers a wrong password and an unknown e-mail the same way", async () => {
    const wrong = await login({ email: tenant.agent.email, password: "nope" });
    const unknown = await login({ email: "nobody@example.test", password: "nope" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it.each([
    ["malformed JSON", "{email:", 400, /Malformed JSON/],
    ["a missing password", { email: "a@b.test" }, 400, /password/],
    ["a bad e-mail", { email: "not an email", password: "x" }, 400, /email/],
    ["an empty password", { email: "a@b.test", password: "" }, 400, /password is required/],
  ])("refuses %s with a clear 400", async (_name, body, status, message) => {
    const response = await login(body);
    expect(response.status).toBe(status);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toMatch(message);
  });

  it("refuses a cross-site form post", async () => {
    const response = await fetch(`${stack().url}/api/ops/logout`, {
      method: "POST",
      headers: { cookie: agent.cookie, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect(response.status).toBe(403);
    expect((await agent.request("/api/ops/me")).status).toBe(200);
  });

  it("says who is signed in", async () => {
    const me = (await (await agent.request("/api/ops/me")).json()) as { operator: { id: string; role: string }; workspace: { id: string } };
    expect(me.operator).toMatchObject({ id: tenant.agent.id, role: "operator" });
    expect(me.workspace.id).toBe(tenant.workspaceId);
  });

  it("refuses every operator route without a session", async () => {
    for (const path of ["/api/ops/me", "/api/ops/inbox", "/api/ops/conversations", "/api/ops/sessions"]) {
      const response = await fetch(`${stack().url}${path}`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthenticated" } });
    }
  });
});

describe("queue and conversations", () => {
  it("lists a waiting conversation in the inbox snapshot with its event version", async () => {
    const { id } = await queuedConversation("Where is my parcel?");
    const inbox = (await (await agent.request("/api/ops/inbox")).json()) as {
      version: number;
      conversations: { id: string; status: string; preview: string; pageUrl: string }[];
    };
    const row = inbox.conversations.find((c) => c.id === id);
    expect(row).toMatchObject({ status: "queued", preview: "Where is my parcel?", pageUrl: "https://shop.example/pricing" });
    const [last] = await database()
      .select({ id: events.id })
      .from(events)
      .where(eq(events.workspaceId, tenant.workspaceId))
      .orderBy(events.id);
    expect(inbox.version).toBeGreaterThanOrEqual(last.id);
  });

  it("lets exactly one of two operators claiming at the same moment win", async () => {
    for (let round = 0; round < 5; round++) {
      const { id } = await queuedConversation();
      const [a, b] = await Promise.all([
        owner.request(`/api/ops/conversations/${id}/claim`, { method: "POST" }),
        agent.request(`/api/ops/conversations/${id}/claim`, { method: "POST" }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expect(((await loser.json()) as { error: { message: string } }).error.message).toMatch(/already taken by/);
      const claims = await database()
        .select()
        .from(events)
        .where(and(eq(events.conversationId, id), eq(events.type, "claimed")));
      expect(claims).toHaveLength(1);
    }
  });

  it("shows a claimed conversation under 'mine' for its operator only", async () => {
    const { id } = await queuedConversation();
    expect((await agent.request(`/api/ops/conversations/${id}/claim`, { method: "POST" })).status).toBe(200);
    const mine = (await (await agent.request("/api/ops/conversations?status=mine")).json()) as { conversations: { id: string }[] };
    const ownersMine = (await (await owner.request("/api/ops/conversations?status=mine")).json()) as { conversations: { id: string }[] };
    expect(mine.conversations.map((c) => c.id)).toContain(id);
    expect(ownersMine.conversations.map((c) => c.id)).not.toContain(id);
  });

  it("posts through the room: stored once per clientMsgId, seen by the customer", async () => {
    const { id, visitor } = await queuedConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    const clientMsgId = newId();
    const post = () =>
      agent.request(`/api/ops/conversations/${id}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId, body: "On its way!" }) });
    const first = await post();
    const again = await post();
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const a = (await first.json()) as { message: { seq: number } };
    const b = (await again.json()) as { message: { seq: number }; duplicate: boolean };
    expect(b).toMatchObject({ duplicate: true, message: { seq: a.message.seq } });
    const seen = await customer.next((f) => f.type === "message" && f.message.clientMsgId === clientMsgId);
    expect(seen.message).toMatchObject({ body: "On its way!", authorKind: "operator" });
    const rows = await database().select().from(messages).where(eq(messages.clientMsgId, clientMsgId));
    expect(rows).toHaveLength(1);
    await customer.close();
  });

  it("closes once, records who closed it and how it was resolved", async () => {
    const { id } = await queuedConversation();
    await agent.request(`/api/ops/conversations/${id}/messages`, {
      method: "POST",
      body: JSON.stringify({ clientMsgId: newId(), body: "Done, anything else?" }),
    });
    const closed = await agent.request(`/api/ops/conversations/${id}/close`, { method: "POST" });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({ conversation: { status: "closed" } });
    const again = await agent.request(`/api/ops/conversations/${id}/close`, { method: "POST" });
    expect(again.status).toBe(409);
    const detail = (await (await agent.request(`/api/ops/conversations/${id}`)).json()) as { conversation: { status: string } };
    expect(detail.conversation.status).toBe("closed");
    const log = await database().select().from(events).where(eq(events.conversationId, id)).orderBy(events.id);
    expect(log.map((e) => e.type)).toEqual(["created", "escalated", "routed", "claimed", "routed", "first_reply", "closed"]);
    expect(log.at(-1)).toMatchObject({ actorKind: "operator", actorId: tenant.agent.id });
    const { resolvedBy } = (await database().query.conversations.findFirst({ where: (c, { eq }) => eq(c.id, id) }))!;
    expect(resolvedBy).toBe("human");
  });

  it("refuses writes to a closed conversation with 409 and stores nothing", async () => {
    const { id } = await queuedConversation();
    await agent.request(`/api/ops/conversations/${id}/close`, { method: "POST" });
    const response = await agent.request(`/api/ops/conversations/${id}/messages`, {
      method: "POST",
      body: JSON.stringify({ clientMsgId: newId(), body: "too late" }),
    });
    expect(response.status).toBe(409);
    const bodies = (await database().select().from(messages).where(eq(messages.conversationId, id))).map((m) => m.body);
    expect(bodies).not.toContain("too late");
  });

  it("pages history backwards", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const socket = await joinConversation(id, { token: visitor.token });
    for (let i = 1; i <= 7; i++) await say(socket, `line ${i}`);
    await socket.close();
    const page = (await (await agent.request(`/api/ops/conversations/${id}/messages?limit=3`)).json()) as {
      messages: { seq: number }[];
      more: boolean;
    };
    expect(page.messages.map((m) => m.seq)).toEqual([5, 6, 7]);
    expect(page.more).toBe(true);
    const older = (await (await agent.request(`/api/ops/conversations/${id}/messages?before=5&limit=3`)).json()) as {
      messages: { seq: number }[];
    };
    expect(older.messages.map((m) => m.seq)).toEqual([2, 3, 4]);
  });
});

describe("bad input", () => {
  it.each([
    ["an unknown conversation", "GET", `/api/ops/conversations/${newId()}`, undefined, 404],
    ["an unknown conversation's claim", "POST", `/api/ops/conversations/${newId()}/claim`, undefined, 404],
    ["a bad list filter", "GET", "/api/ops/conversations?status=everything", undefined, 400],
    ["a bad page size", "GET", `/api/ops/conversations/${newId()}/messages?limit=0`, undefined, 404],
    ["an unknown route", "GET", "/api/ops/nothing-here", undefined, 404],
    ["an unknown session", "DELETE", `/api/ops/sessions/${newId()}`, undefined, 404],
  ])("answers %s with a clear %s", async (_name, method, path, body, status) => {
    const response = await agent.request(path, { method, body });
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { code: string; message: string } };
    expect(json.error.message.length).toBeGreaterThan(3);
  });

  it.each([
    ["malformed JSON", "{", /Malformed JSON/],
    ["an empty message", JSON.stringify({ clientMsgId: newId(), body: "" }), /empty/],
    ["an over-long message", JSON.stringify({ clientMsgId: newId(), body: "z".repeat(5001) }), /longer than 5000/],
    ["no clientMsgId", JSON.stringify({ body: "hi" }), /clientMsgId/],
  ])("refuses a post with %s", async (_name, body, message) => {
    const { id } = await queuedConversation();
    const response = await agent.request(`/api/ops/conversations/${id}/messages`, { method: "POST", body });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  it("answers a bad page size on a real conversation with 400", async () => {
    const { id } = await queuedConversation();
    for (const query of ["limit=0", "limit=500", "limit=abc", "before=-1"]) {
      const response = await agent.request(`/api/ops/conversations/${id}/messages?${query}`);
      expect(response.status).toBe(400);
    }
  });
});
