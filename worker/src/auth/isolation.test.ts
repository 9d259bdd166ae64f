import { newId } from "@tandem/protocol";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createTenant,
  database,
  joinConversation,
  say,
  signIn,
  stack,
  startVisitor,
  TestSocket,
  type Operator,
  type Tenant,
  type Visitor,
} from "../../../scripts/test-kit/clients";
import { messages } from "../db/schema";
import { encodeActor } from "./actor";

// Two workspaces on one server, X and Y, each with a customer conversation.
let x: Tenant;
let y: Tenant;
let operatorX: Operator;
let operatorY: Operator;
let visitorA: Visitor;
let visitorB: Visitor;
let conversationA: string;
let conversationB: string;
let conversationY: string;

beforeAll(async () => {
  [x, y] = await Promise.all([createTenant("X"), createTenant("Y")]);
  [operatorX, operatorY] = await Promise.all([
    signIn(x.owner.email, x.owner.password),
    signIn(y.owner.email, y.owner.password),
  ]);
  // A and B are two customers of workspace X; Y has its own customer.
  [visitorA, visitorB] = await Promise.all([startVisitor(x.publicKey), startVisitor(x.publicKey)]);
  conversationA = await visitorA.createConversation();
  conversationB = await visitorB.createConversation();
  const visitorY = await startVisitor(y.publicKey);
  conversationY = await visitorY.createConversation();
  for (const [visitor, id] of [
    [visitorA, conversationA],
    [visitorB, conversationB],
    [visitorY, conversationY],
  ] as const) {
    const socket = await joinConversation(id, { token: visitor.token });
    await say(socket, `secret of ${id}`);
    await socket.close();
  }
});

async function bodiesOf(conversationId: string) {
  const rows = await database().select().from(messages).where(eq(messages.conversationId, conversationId));
  return rows.map((r) => r.body);
}

async function refusal(path: string, options: { cookie?: string; origin?: string; actor?: string } = {}) {
  const socket = new TestSocket(path, options);
  const closed = await socket.closed;
  return { code: closed.code, frames: socket.frames };
}

describe("a visitor reaches only their own conversations", () => {
  it("cannot read another conversation's messages over HTTP", async () => {
    const response = await visitorA.request(`/api/widget/conversations/${conversationB}/messages`);
    expect(response.status).toBe(404);
    expect(JSON.stringify(await response.json())).not.toContain("secret");
  });

  it("does not see another visitor's conversations in their list", async () => {
    const response = await visitorA.request("/api/widget/conversations");
    const { conversations } = (await response.json()) as { conversations: { id: string }[] };
    expect(conversations.map((c) => c.id)).toEqual([conversationA]);
  });

  it("cannot close another conversation", async () => {
    const response = await visitorA.request(`/api/widget/conversations/${conversationB}/close`, { method: "POST" });
    expect(response.status).toBe(404);
  });

  it("cannot open another conversation's room, in its workspace or another", async () => {
    for (const id of [conversationB, conversationY]) {
      const refused = await refusal(`/parties/conversation/${id}?token=${encodeURIComponent(visitorA.token)}`);
      expect(refused.code).toBe(4404);
      expect(refused.frames).toEqual([{ type: "error", code: "not_found", message: "no such conversation" }]);
    }
    expect(await bodiesOf(conversationB)).toEqual([`secret of ${conversationB}`]);
  });

  it("cannot open a workspace's inbox", async () => {
    const refused = await refusal(`/parties/inbox/${x.workspaceId}?token=${encodeURIComponent(visitorA.token)}`);
    expect(refused.code).toBe(4403);
  });

  it("is refused with a tampered token", async () => {
    const [body, signature] = visitorA.token.split(".");
    const forged = JSON.parse(Buffer.from(body, "base64url").toString());
    forged.v = visitorB.visitorId;
    const token = `${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`;
    const refused = await refusal(`/parties/conversation/${conversationB}?token=${encodeURIComponent(token)}`);
    expect(refused.code).toBe(4401);
    const answer = await fetch(`${stack().url}/api/widget/conversations/${conversationB}/messages`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(401);
  });
});

describe("an operator reaches only their workspace", () => {
  it("does not list another workspace's conversations", async () => {
    for (const status of ["open", "queued", "assigned", "closed"]) {
      const response = await operatorX.request(`/api/ops/conversations?status=${status}`);
      const { conversations } = (await response.json()) as { conversations: { id: string }[] };
      expect(conversations.map((c) => c.id)).not.toContain(conversationY);
    }
    const inbox = (await (await operatorX.request("/api/ops/inbox")).json()) as { conversations: { id: string }[] };
    expect(inbox.conversations.map((c) => c.id)).toEqual(expect.arrayContaining([conversationA, conversationB]));
    expect(inbox.conversations.map((c) => c.id)).not.toContain(conversationY);
  });

  it("cannot read another workspace's conversation even with its id", async () => {
    for (const path of [`/api/ops/conversations/${conversationY}`, `/api/ops/conversations/${conversationY}/messages`]) {
      const response = await operatorX.request(path);
      expect(response.status).toBe(404);
      expect(JSON.stringify(await response.json())).not.toContain("secret");
    }
  });

  it("cannot write to, claim or close another workspace's conversation", async () => {
    const write = await operatorX.request(`/api/ops/conversations/${conversationY}/messages`, {
      method: "POST",
      body: JSON.stringify({ clientMsgId: newId(), body: "injected" }),
    });
    expect(write.status).toBe(404);
    for (const action of ["claim", "close"]) {
      const response = await operatorX.request(`/api/ops/conversations/${conversationY}/${action}`, { method: "POST" });
      expect(response.status).toBe(404);
    }
    expect(await bodiesOf(conversationY)).toEqual([`secret of ${conversationY}`]);
  });

  it("cannot connect to another workspace's conversation or inbox", async () => {
    const room = await refusal(`/parties/conversation/${conversationY}`, { cookie: operatorX.cookie });
    expect(room.code).toBe(4404);
    const inbox = await refusal(`/parties/inbox/${y.workspaceId}`, { cookie: operatorX.cookie });
    expect(inbox.code).toBe(4403);
  });

  it("cannot pass for someone else by sending the room's actor header", async () => {
    const forged = encodeActor({
      kind: "operator",
      id: y.ownerId,
      workspaceId: y.workspaceId,
      name: "Mallory",
      role: "owner",
      sessionId: "forged",
    });
    const alone = await refusal(`/parties/conversation/${conversationY}`, { actor: forged });
    expect(alone.code).toBe(4401);
    const withCookie = await refusal(`/parties/conversation/${conversationY}`, { actor: forged, cookie: operatorX.cookie });
    expect(withCookie.code).toBe(4404);

    // Signed in, but claiming to be another operator: the room must hear who the cookie says.
    const agentX = await signIn(x.agent.email, x.agent.password);
    const posing = encodeActor({
      kind: "operator",
      id: x.ownerId,
      workspaceId: x.workspaceId,
      name: "Not The Agent",
      role: "owner",
      sessionId: "forged",
    });
    const socket = new TestSocket(`/parties/conversation/${conversationA}`, { cookie: agentX.cookie, actor: posing });
    await socket.opened;
    socket.send({ type: "resume", after: 0 });
    const clientMsgId = newId();
    expect(await say(socket, "who am I?", clientMsgId)).toMatchObject({ type: "ack" });
    const [row] = await database().select().from(messages).where(eq(messages.clientMsgId, clientMsgId));
    expect(row).toMatchObject({ authorKind: "operator", authorId: x.agent.id });
    await socket.close();
    expect(await bodiesOf(conversationY)).toEqual([`secret of ${conversationY}`]);
  });

  it("cannot open a room from another site with a session cookie", async () => {
    const refused = await refusal(`/parties/inbox/${x.workspaceId}`, { cookie: operatorX.cookie, origin: "https://evil.example" });
    expect(refused.code).toBe(4403);
  });

  it("still reaches its own workspace (the checks above are not blanket refusals)", async () => {
    const socket = await joinConversation(conversationY, { cookie: operatorY.cookie });
    const history = socket.frames.find((f) => f.type === "history")!;
    expect(history.messages[0].body).toBe(`secret of ${conversationY}`);
    await socket.close();
  });
});

describe("sessions", () => {
  it("refuses a revoked session over HTTP and on rooms", async () => {
    const first = await signIn(x.agent.email, x.agent.password);
    const second = await signIn(x.agent.email, x.agent.password);
    expect((await first.request("/api/ops/me")).status).toBe(200);
    const openInbox = new TestSocket(`/parties/inbox/${x.workspaceId}`, { cookie: first.cookie });
    await openInbox.opened;
    const openRooms = await Promise.all([joinConversation(conversationA, { cookie: first.cookie }), joinConversation(conversationB, { cookie: first.cookie })]);
    // The same conversation open in the other session stays open.
    const otherRoom = await joinConversation(conversationA, { cookie: second.cookie });

    const revoke = await second.request(`/api/ops/sessions/${first.sessionId}`, { method: "DELETE" });
    expect(revoke.status).toBe(200);
    // Its live sockets go at once, the inbox and every conversation it had open, not only new connections.
    expect((await openInbox.closed).code).toBe(4401);
    for (const room of openRooms) expect((await room.closed).code).toBe(4401);
    // A customer's next message reaches the session that is still signed in.
    const from = otherRoom.frames.length;
    const customer = await joinConversation(conversationA, { token: visitorA.token });
    await say(customer, "still there?");
    await otherRoom.next((f) => f.type === "message" && f.message.body === "still there?", { from });
    await customer.close();
    await otherRoom.close();

    expect((await first.request("/api/ops/me")).status).toBe(401);
    expect((await first.request("/api/ops/inbox")).status).toBe(401);
    const room = await refusal(`/parties/conversation/${conversationA}`, { cookie: first.cookie });
    expect(room.code).toBe(4401);
    const inbox = await refusal(`/parties/inbox/${x.workspaceId}`, { cookie: first.cookie });
    expect(inbox.code).toBe(4401);
    // The session that revoked it carries on.
    expect((await second.request("/api/ops/me")).status).toBe(200);
  });

  it("cannot revoke another operator's session", async () => {
    const victim = await signIn(x.owner.email, x.owner.password);
    const other = await signIn(x.agent.email, x.agent.password);
    const response = await other.request(`/api/ops/sessions/${victim.sessionId}`, { method: "DELETE" });
    expect(response.status).toBe(404);
    expect((await victim.request("/api/ops/me")).status).toBe(200);
  });

  it("ends the session on logout", async () => {
    const session = await signIn(x.agent.email, x.agent.password);
    expect((await session.request("/api/ops/logout", { method: "POST" })).status).toBe(200);
    expect((await session.request("/api/ops/me")).status).toBe(401);
  });
});

describe("the team API keeps to its workspace and its roles", () => {
  let groupX: string;
  let groupY: string;
  let inviteY: string;
  let siteY: string;

  beforeAll(async () => {
    const make = async (who: Operator, name: string) =>
      ((await (await who.request("/api/ops/team/groups", { method: "POST", body: JSON.stringify({ name }) })).json()) as { group: { id: string } }).group.id;
    [groupX, groupY] = await Promise.all([make(operatorX, "X group"), make(operatorY, "Y group")]);
    const invite = await operatorY.request("/api/ops/team/invites", {
      method: "POST",
      body: JSON.stringify({ email: `iso-${newId().toLowerCase()}@example.test`, name: "Iso", role: "operator" }),
    });
    inviteY = ((await invite.json()) as { invite: { id: string } }).invite.id;
    siteY = y.siteId;
  });

  // Every team route that takes an id, tried by X's owner with Y's ids.
  const foreign = () =>
    [
      ["PATCH", `/api/ops/team/operators/${y.agent.id}`, { maxChats: 1 }],
      ["POST", `/api/ops/team/operators/${y.agent.id}/deactivate`],
      ["POST", `/api/ops/team/operators/${y.agent.id}/reactivate`],
      ["DELETE", `/api/ops/team/invites/${inviteY}`],
      ["POST", "/api/ops/team/invites", { email: "iso2@example.test", name: "I", role: "operator", groupIds: [groupY] }],
      ["PATCH", `/api/ops/team/groups/${groupY}`, { name: "taken over" }],
      ["DELETE", `/api/ops/team/groups/${groupY}`],
      ["PUT", `/api/ops/team/groups/${groupY}/members/${x.agent.id}`],
      ["PUT", `/api/ops/team/groups/${groupX}/members/${y.agent.id}`],
      ["DELETE", `/api/ops/team/groups/${groupY}/members/${y.ownerId}`],
      ["PUT", `/api/ops/team/sites/${siteY}/default-group`, { groupId: groupX }],
      ["PUT", `/api/ops/team/sites/${x.siteId}/default-group`, { groupId: groupY }],
      ["DELETE", `/api/ops/sessions/${operatorY.sessionId}`],
    ] as const;

  it("answers another workspace's ids with 404 and changes nothing", async () => {
    for (const [method, path, body] of foreign()) {
      const response = await operatorX.request(path, { method, body: body && JSON.stringify(body) });
      expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 404`);
    }
    const groups = (await (await operatorY.request("/api/ops/team/groups")).json()) as { groups: { id: string; name: string; memberIds: string[] }[] };
    expect(groups.groups).toEqual([{ id: groupY, name: "Y group", routingMode: "manual", returnOnOffline: true, memberIds: [] }]);
    expect((await operatorY.request("/api/ops/me")).status).toBe(200);
    const invites = (await (await operatorY.request("/api/ops/team/invites")).json()) as { invites: { id: string }[] };
    expect(invites.invites.map((i) => i.id)).toEqual([inviteY]);
  });

  it("lists only its own operators, groups, invites and sites", async () => {
    const text = JSON.stringify(
      await Promise.all(
        ["operators", "groups", "invites", "sites"].map(async (what) => (await operatorX.request(`/api/ops/team/${what}`)).json()),
      ),
    );
    for (const id of [y.ownerId, y.agent.id, groupY, inviteY, siteY]) expect(text).not.toContain(id);
    expect(text).toContain(x.agent.id);
  });

  it("refuses every admin route to an operator with 403, and keeps reads open", async () => {
    const agentX = await signIn(x.agent.email, x.agent.password);
    const own = [
      ["PATCH", `/api/ops/team/operators/${x.ownerId}`, { maxChats: 1 }],
      ["POST", `/api/ops/team/operators/${x.ownerId}/deactivate`],
      ["POST", `/api/ops/team/operators/${x.ownerId}/reactivate`],
      ["GET", "/api/ops/team/invites"],
      ["POST", "/api/ops/team/invites", { email: "iso3@example.test", name: "I", role: "operator" }],
      ["DELETE", `/api/ops/team/invites/${newId()}`],
      ["POST", "/api/ops/team/groups", { name: "mine" }],
      ["PATCH", `/api/ops/team/groups/${groupX}`, { name: "mine" }],
      ["DELETE", `/api/ops/team/groups/${groupX}`],
      ["PUT", `/api/ops/team/groups/${groupX}/members/${x.agent.id}`],
      ["DELETE", `/api/ops/team/groups/${groupX}/members/${x.agent.id}`],
      ["GET", "/api/ops/team/sites"],
      ["PUT", `/api/ops/team/sites/${x.siteId}/default-group`, { groupId: groupX }],
    ] as const;
    for (const [method, path, body] of own) {
      const response = await agentX.request(path, { method, body: body && JSON.stringify(body) });
      expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 403`);
    }
    for (const path of ["/api/ops/team/operators", "/api/ops/team/groups", "/api/ops/inbox", "/api/ops/conversations"]) {
      expect((await agentX.request(path)).status).toBe(200);
    }
  });
});
