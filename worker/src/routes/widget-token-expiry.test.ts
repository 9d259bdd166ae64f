import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant, type Tenant } from "../../../scripts/test-kit/clients";
import { startKnownSecretWorker } from "../../../scripts/test-kit/known-secret-worker";
import { VISITOR_TOKEN_TTL_MS } from "../auth/visitor-token";

// Visitor tokens expire (A5), and the widget's session call renews them. The
// Worker here signs with a secret the test knows, so a token can be made as
// it was signed a month ago instead of waiting a month.

const DAY = 24 * 60 * 60 * 1000;

let worker: Awaited<ReturnType<typeof startKnownSecretWorker>>;
let tenant: Tenant;

beforeAll(async () => {
  [worker, tenant] = await Promise.all([startKnownSecretWorker(), createTenant("Expiry")]);
});

afterAll(async () => {
  await worker?.stop();
});

type Session = { token: string; visitorId: string; contact: { name: string | null } };

async function session(token?: string): Promise<Session> {
  const response = await worker.request("/api/widget/session", { method: "POST", body: JSON.stringify({ siteKey: tenant.publicKey, token }) });
  expect(response.status).toBe(200);
  return (await response.json()) as Session;
}

/** The visitor a session token names, from its payload (the test knows the shape, not the secret's output). */
function payloadOf(token: string) {
  return JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as { v: string; w: string; s: string; c: string; iat: number };
}

async function startConversation(token: string) {
  const response = await worker.request("/api/widget/conversations", { method: "POST", token, body: JSON.stringify({}) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

describe("visitor tokens expire", () => {
  it("refuses a token signed longer ago than the TTL on the API and at the room, and takes one just inside it", async () => {
    const fresh = await session();
    const conversation = await startConversation(fresh.token);
    const { v, w, s, c } = payloadOf(fresh.token);
    const visitor = { id: v, workspaceId: w, siteId: s, contactId: c };

    const stale = await worker.tokenSignedAt(visitor, Date.now() - VISITOR_TOKEN_TTL_MS - 60_000);
    const listed = await worker.request("/api/widget/conversations", { token: stale });
    expect(listed.status).toBe(401);
    expect(await listed.json()).toMatchObject({ error: { code: "unauthenticated" } });
    expect((await worker.request(`/api/widget/conversations/${conversation}/messages`, { token: stale })).status).toBe(401);
    const refused = worker.openRoom(conversation, stale);
    expect(await refused.closed).toBe(4401);
    expect(refused.frames).toMatchObject([{ type: "error", code: "unauthenticated" }]);

    // A page loaded 29 days ago, open ever since: its token still works, at the API and at the room.
    const aging = await worker.tokenSignedAt(visitor, Date.now() - 29 * DAY);
    expect((await worker.request("/api/widget/conversations", { token: aging })).status).toBe(200);
    const room = worker.openRoom(conversation, aging);
    expect(await room.answer).toMatchObject({ type: "conversation" });
    room.ws.close();
  });

  it("renews a token at the next session: a fresh one for the same visitor, good for the whole TTL again", async () => {
    const first = await session();
    const conversation = await startConversation(first.token);
    const { v, w, s, c } = payloadOf(first.token);
    const aging = await worker.tokenSignedAt({ id: v, workspaceId: w, siteId: s, contactId: c }, Date.now() - 29 * DAY);

    const before = Date.now();
    const renewed = await session(aging);
    expect(renewed.visitorId).toBe(v);
    expect(renewed.token).not.toBe(aging);
    expect(payloadOf(renewed.token).iat).toBeGreaterThanOrEqual(before);
    const list = (await (await worker.request("/api/widget/conversations", { token: renewed.token })).json()) as { conversations: { id: string }[] };
    expect(list.conversations.map((x) => x.id)).toEqual([conversation]);
  });

  it("starts a new visitor for an expired token, with none of the old one's conversations", async () => {
    const first = await session();
    await startConversation(first.token);
    const { v, w, s, c } = payloadOf(first.token);
    const stale = await worker.tokenSignedAt({ id: v, workspaceId: w, siteId: s, contactId: c }, Date.now() - VISITOR_TOKEN_TTL_MS - 1000);

    const next = await session(stale);
    expect(next.visitorId).not.toBe(v);
    const list = (await (await worker.request("/api/widget/conversations", { token: next.token })).json()) as { conversations: unknown[] };
    expect(list.conversations).toEqual([]);
  });
});
