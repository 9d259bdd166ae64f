import { createHmac } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, joinConversation, signIn, stack, startVisitor, type Operator, type Tenant, type Visitor } from "../../../scripts/test-kit/clients";
import { json, member } from "../../../scripts/test-kit/team-kit";
import { events, sites } from "../db/schema";

// A3: a site's identity secret and its enforcement are site settings (admins
// and owners): the secret is revealed on request, rotated, and the
// requirement switched on and off, all from the dashboard's API.

let x: Tenant;
let y: Tenant;
let owner: Operator;
let admin: Operator;
let supervisor: Operator;
let stranger: Operator;

beforeAll(async () => {
  [x, y] = await Promise.all([createTenant("Identity"), createTenant("Elsewhere")]);
  owner = await signIn(x.owner.email, x.owner.password);
  [admin, supervisor] = await Promise.all([member(x, "admin"), member(x, "supervisor")]);
  stranger = await signIn(y.owner.email, y.owner.password);
});

const secretPath = (siteId: string) => `/api/ops/settings/sites/${siteId}/identity-secret`;
const sign = (secret: string, id: string) => createHmac("sha256", secret).update(id).digest("hex");

async function reveal(by: Operator, siteId = x.siteId) {
  const response = await by.request(secretPath(siteId));
  return { status: response.status, cache: response.headers.get("cache-control"), body: (await response.json()) as any };
}

async function rotate(by: Operator, body: unknown = {}, siteId = x.siteId) {
  const response = await by.request(secretPath(siteId), json("POST", body));
  return { status: response.status, body: (await response.json()) as any };
}

async function identify(visitor: Visitor, body: unknown) {
  const response = await visitor.request("/api/widget/identify", { method: "POST", body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

describe("the identity secret", () => {
  it("is revealed to admins and owners on request, uncached, and to no one else", async () => {
    const [stored] = await database().select({ secret: sites.identitySecret }).from(sites).where(eq(sites.id, x.siteId));
    for (const by of [owner, admin]) expect(await reveal(by)).toEqual({ status: 200, cache: "no-store", body: { secret: stored!.secret } });
    expect((await reveal(supervisor)).status).toBe(403);
    expect((await reveal(stranger)).status).toBe(404);
    expect((await reveal(owner, y.siteId)).status).toBe(404);
    expect((await fetch(`${stack().url}${secretPath(x.siteId)}`)).status).toBe(401);

    // Nowhere else: not in the site's settings.
    const settings = await (await owner.request(`/api/ops/settings/sites/${x.siteId}`)).text();
    expect(settings).not.toContain(stored!.secret);
  });

  it("rotates: identify calls signed with the old one are refused, the new one works, the customer already identified stays", async () => {
    const { body: before } = await reveal(admin);
    const signedIn = await startVisitor(x.publicKey);
    expect((await identify(signedIn, { id: "kept-1", hash: sign(before.secret, "kept-1") })).status).toBe(200);

    const rotated = await rotate(admin);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ secret: expect.any(String), signedOut: 0 });
    expect(rotated.body.secret).not.toBe(before.secret);
    expect(rotated.body.secret.length).toBeGreaterThanOrEqual(32);
    expect((await reveal(owner)).body.secret).toBe(rotated.body.secret);

    const late = await startVisitor(x.publicKey);
    expect(await identify(late, { id: "late-1", hash: sign(before.secret, "late-1") })).toMatchObject({ status: 403, body: { error: { code: "bad_identity_hash" } } });
    expect(await identify(late, { id: "late-1", hash: sign(rotated.body.secret, "late-1") })).toMatchObject({ status: 200, body: { verified: true } });
    // Identified before the rotation: still signed in.
    expect((await signedIn.request("/api/widget/conversations")).status).toBe(200);

    const log = await database().select().from(events).where(and(eq(events.workspaceId, x.workspaceId), eq(events.type, "identity_secret_rotated")));
    expect(log.at(-1)).toMatchObject({ actorKind: "operator", actorId: admin.id, data: { siteId: x.siteId, signOutVerified: false } });
    expect(JSON.stringify(log)).not.toContain(rotated.body.secret);
  });

  it("rotates and signs out everyone the old secret verified, when asked: their tokens and sockets end, anonymous visitors stay", async () => {
    const { body: current } = await reveal(owner);
    const verified = await startVisitor(x.publicKey);
    await identify(verified, { id: "leaked-1", hash: sign(current.secret, "leaked-1") });
    const conversation = await verified.createConversation();
    const socket = await joinConversation(conversation, { token: verified.token });
    const anonymous = await startVisitor(x.publicKey);

    const rotated = await rotate(owner, { signOutVerified: true });
    expect(rotated.status).toBe(200);
    expect(rotated.body.signedOut).toBeGreaterThanOrEqual(1);

    expect((await socket.closed).code).toBe(4401);
    expect((await verified.request("/api/widget/conversations")).status).toBe(401);
    expect((await anonymous.request("/api/widget/conversations")).status).toBe(200);
  });

  it("cannot be rotated by a supervisor, for another workspace's site, or with a bad body", async () => {
    const { body: before } = await reveal(owner);
    expect((await rotate(supervisor)).status).toBe(403);
    expect((await rotate(stranger)).status).toBe(404);
    expect((await rotate(owner, {}, y.siteId)).status).toBe(404);
    expect(await rotate(owner, { signOutVerified: "yes" })).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    expect((await reveal(owner)).body.secret).toBe(before.secret);
  });
});

describe("requiring a verified identity", () => {
  it("is switched on and off in the site's settings, and the widget's identify follows", async () => {
    const site = await createTenant("Enforce");
    const by = await signIn(site.owner.email, site.owner.password);
    const settings = async () => ((await (await by.request(`/api/ops/settings/sites/${site.siteId}`)).json()) as any).site;
    expect((await settings()).identityRequired).toBe(false);

    const on = await by.request(`/api/ops/settings/sites/${site.siteId}`, json("PATCH", { identityRequired: true }));
    expect(on.status).toBe(200);
    expect(((await on.json()) as any).site.identityRequired).toBe(true);
    const visitor = await startVisitor(site.publicKey);
    expect(await identify(visitor, { id: "someone", name: "Someone" })).toMatchObject({ status: 403, body: { error: { code: "identity_required" } } });

    await by.request(`/api/ops/settings/sites/${site.siteId}`, json("PATCH", { identityRequired: false }));
    expect((await settings()).identityRequired).toBe(false);
    expect(await identify(visitor, { id: "someone", name: "Someone" })).toMatchObject({ status: 200, body: { verified: false } });

    expect((await by.request(`/api/ops/settings/sites/${site.siteId}`, json("PATCH", { identityRequired: "on" }))).status).toBe(400);
    const supervisorThere = await member(site, "supervisor");
    expect((await supervisorThere.request(`/api/ops/settings/sites/${site.siteId}`, json("PATCH", { identityRequired: true }))).status).toBe(403);
  });
});
