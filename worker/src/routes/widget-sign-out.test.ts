import { createHmac } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createTenant,
  database,
  joinConversation,
  say,
  stack,
  startVisitor,
  TestSocket,
  type Tenant,
} from "../../../scripts/test-kit/clients";
import { readMessagesBefore } from "../conversations/messages";
import { events, sites, visitors } from "../db/schema";

// A5: Tandem('logout'), and an identify that moves the browser to another
// person, sign the old visitor out. Its token, and any copy of it, then opens
// nothing: not the API, not a new room connection, and a socket it already
// had open is closed.

const SECRET = "sign-out-identity-secret";
const sign = (id: string) => createHmac("sha256", SECRET).update(id).digest("hex");

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("Sign out");
  await database().update(sites).set({ identitySecret: SECRET }).where(eq(sites.id, tenant.siteId));
});

/** Requests with a given visitor token, as a copy of it taken from localStorage would make them. */
function withToken(token: string) {
  return (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${token}`);
    if (init.body) headers.set("content-type", "application/json");
    return fetch(`${stack().url}${path}`, { ...init, headers });
  };
}

async function post(token: string, path: string, body: unknown = {}) {
  const response = await withToken(token)(path, { method: "POST", body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

/** An identified customer who wrote something private, with the socket their page has open. */
async function customerWithSecret(id: string) {
  const visitor = await startVisitor(tenant.publicKey);
  expect((await post(visitor.token, "/api/widget/identify", { id, name: "Vic Tim", hash: sign(id) })).status).toBe(200);
  const conversationId = await visitor.createConversation();
  const socket = await joinConversation(conversationId, { token: visitor.token });
  expect((await say(socket, "my card ends 4242")).type).toBe("ack");
  return { visitor, conversationId, socket };
}

/** What a stolen copy of `token` can still do: read the messages, list, open the room, start a session as that visitor. */
async function expectSignedOut(token: string, visitorId: string, conversationId: string) {
  const read = await withToken(token)(`/api/widget/conversations/${conversationId}/messages`);
  expect(read.status).toBe(401);
  const body = await read.text();
  expect(body).not.toContain("4242");
  expect(JSON.parse(body)).toMatchObject({ error: { code: "unauthenticated" } });
  expect((await withToken(token)("/api/widget/conversations")).status).toBe(401);

  const refused = new TestSocket(`/parties/conversation/${conversationId}?token=${encodeURIComponent(token)}`);
  expect((await refused.closed).code).toBe(4401);
  expect(refused.frames).toMatchObject([{ type: "error", code: "unauthenticated" }]);
  expect(JSON.stringify(refused.frames)).not.toContain("4242");

  // A session with it makes a new, empty visitor rather than renewing the old one.
  const session = await fetch(`${stack().url}/api/widget/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ siteKey: tenant.publicKey, token }),
  });
  const { visitorId: next } = (await session.json()) as { visitorId: string };
  expect(next).not.toBe(visitorId);
}

describe("Tandem('logout')", () => {
  it("signs the token out everywhere: the API, new room connections and the socket already open", async () => {
    const { visitor, conversationId, socket } = await customerWithSecret("card-owner");
    // A copy of the token, taken before the logout, with a socket of its own.
    const thief = await joinConversation(conversationId, { token: visitor.token });

    const answer = await post(visitor.token, "/api/widget/logout");
    expect(answer).toEqual({ status: 200, body: { signedOut: true } });

    expect((await thief.closed).code).toBe(4401);
    expect((await socket.closed).code).toBe(4401);
    await expectSignedOut(visitor.token, visitor.visitorId, conversationId);

    const [row] = await database().select({ revokedAt: visitors.revokedAt }).from(visitors).where(eq(visitors.id, visitor.visitorId));
    expect(row!.revokedAt).toEqual(expect.any(Number));
    const log = await database().select().from(events).where(and(eq(events.type, "visitor_signed_out"), eq(events.actorId, visitor.visitorId)));
    expect(log).toMatchObject([{ workspaceId: tenant.workspaceId, actorKind: "visitor", data: { reason: "logout" } }]);
  });

  it("leaves the visitor's conversation to the operators, and other visitors signed in", async () => {
    const { visitor, conversationId, socket } = await customerWithSecret("card-owner-2");
    const bystander = await startVisitor(tenant.publicKey);
    const theirs = await bystander.createConversation();
    const theirSocket = await joinConversation(theirs, { token: bystander.token });

    expect((await post(visitor.token, "/api/widget/logout")).status).toBe(200);
    await socket.closed;

    const from = theirSocket.frames.length;
    expect((await say(theirSocket, "still here")).type).toBe("ack");
    expect(theirSocket.frames.slice(from)).not.toContainEqual(expect.objectContaining({ type: "error" }));
    await theirSocket.close();
    expect((await bystander.request("/api/widget/conversations")).status).toBe(200);

    // The messages stay, for the operators.
    const kept = await readMessagesBefore(database(), conversationId, undefined, 50);
    expect(JSON.stringify(kept)).toContain("my card ends 4242");
  });

  it("needs a good token, and a signed-out one cannot sign out again", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const none = await fetch(`${stack().url}/api/widget/logout`, { method: "POST" });
    expect(none.status).toBe(401);
    expect((await post(visitor.token, "/api/widget/logout")).status).toBe(200);
    expect(await post(visitor.token, "/api/widget/logout")).toMatchObject({ status: 401, body: { error: { code: "unauthenticated" } } });
  });
});

describe("an identify that switches the browser to another person", () => {
  it("signs the previous person's visitor out, its open sockets included", async () => {
    const { visitor, conversationId, socket } = await customerWithSecret("first-person");
    const thief = await joinConversation(conversationId, { token: visitor.token });

    const switched = await post(visitor.token, "/api/widget/identify", { id: "second-person", hash: sign("second-person") });
    expect(switched.status).toBe(200);
    expect(switched.body.token).toEqual(expect.any(String));

    // The sockets close just after the answer (so the widget that asked has moved on); nothing waits on a clock here.
    expect((await thief.closed).code).toBe(4401);
    expect((await socket.closed).code).toBe(4401);
    await expectSignedOut(visitor.token, visitor.visitorId, conversationId);

    // The browser goes on as the new person.
    const next = withToken(switched.body.token);
    expect((await next("/api/widget/conversations")).status).toBe(200);
    expect((await next(`/api/widget/conversations/${conversationId}/messages`)).status).toBe(404);
  });

  it("does not sign out a visitor whom an identify only links to a contact", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const conversationId = await visitor.createConversation();
    const socket = await joinConversation(conversationId, { token: visitor.token });
    const linked = await post(visitor.token, "/api/widget/identify", { id: "just-signed-in", hash: sign("just-signed-in") });
    expect(linked.body.token).toBeUndefined();
    expect((await say(socket, "hello after signing in")).type).toBe("ack");
    await socket.close();
    expect((await visitor.request(`/api/widget/conversations/${conversationId}/messages`)).status).toBe(200);
  });
});
