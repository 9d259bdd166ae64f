import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, signIn, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { sha256 } from "../auth/crypto";
import { groupMembers, invites } from "../db/schema";
import { anonymous, json, member } from "../../../scripts/test-kit/team-kit";

let x: Tenant;
let y: Tenant;
let owner: Operator;
let admin: Operator;

beforeAll(async () => {
  [x, y] = await Promise.all([createTenant("InvX"), createTenant("InvY")]);
  owner = await signIn(x.owner.email, x.owner.password);
  admin = await member(x, "admin");
});

async function invite(by: Operator, body: Record<string, unknown>) {
  const response = await by.request("/api/ops/team/invites", json("POST", body));
  return { status: response.status, body: (await response.json()) as any };
}

const tokenOf = (link: string) => link.split("#/invite/")[1];

describe("invites", () => {
  it("gives a one-time link whose token is stored only as a hash", async () => {
    const email = `new-${Date.now()}@example.test`;
    const made = await invite(admin, { email, name: "Nina New", role: "operator" });
    expect(made.status).toBe(201);
    expect(made.body.link).toMatch(/\/dashboard\/#\/invite\/[A-Za-z0-9_-]{40,}$/);
    const token = tokenOf(made.body.link);
    const [row] = await database().select().from(invites).where(eq(invites.id, made.body.invite.id));
    expect(row.tokenHash).toBe(await sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.expiresAt - row.createdAt).toBe(7 * 24 * 60 * 60 * 1000);

    const seen = await anonymous(`/api/ops/team/invites/${token}`);
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({ invite: { email, name: "Nina New", role: "operator", workspaceName: expect.stringContaining("InvX"), hasAccount: false } });

    const short = await anonymous(`/api/ops/team/invites/${token}/accept`, { method: "POST", json: { password: "short" } });
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ error: { message: expect.stringContaining("10 characters") } });

    const accepted = await anonymous(`/api/ops/team/invites/${token}/accept`, { method: "POST", json: { password: "a long new password" } });
    expect(accepted.status).toBe(200);
    const cookie = accepted.headers.get("set-cookie")!;
    expect(cookie).toMatch(/tandem_session=.*HttpOnly/);
    const me = await anonymous("/api/ops/me", { headers: { cookie: cookie.split(";")[0] } });
    expect(await me.json()).toMatchObject({ operator: { name: "Nina New", role: "operator", workspaceId: x.workspaceId } });

    const again = await anonymous(`/api/ops/team/invites/${token}/accept`, { method: "POST", json: { password: "a long new password" } });
    expect(again.status).toBe(410);
    expect((await anonymous(`/api/ops/team/invites/${token}`)).status).toBe(410);
    await signIn(email, "a long new password");
  });

  it("joins the invite's groups, and refuses another workspace's group", async () => {
    const group = (await (await owner.request("/api/ops/team/groups", json("POST", { name: "Billing" }))).json()) as any;
    const foreign = (await (await (await signIn(y.owner.email, y.owner.password)).request("/api/ops/team/groups", json("POST", { name: "Theirs" }))).json()) as any;
    const refused = await invite(admin, { email: `g-${Date.now()}@example.test`, name: "G", role: "operator", groupIds: [foreign.group.id] });
    expect(refused.status).toBe(404);

    const made = await invite(admin, { email: `g-${Date.now()}@example.test`, name: "Gail", role: "operator", groupIds: [group.group.id] });
    const token = tokenOf(made.body.link);
    // The groups travel in the token; changing them makes the link unknown.
    const tampered = token.replace(group.group.id, foreign.group.id);
    expect((await anonymous(`/api/ops/team/invites/${tampered}/accept`, { method: "POST", json: { password: "a long new password" } })).status).toBe(404);
    const accepted = await anonymous(`/api/ops/team/invites/${token}/accept`, { method: "POST", json: { password: "a long new password" } });
    const { operator } = (await accepted.json()) as { operator: { id: string } };
    const rows = await database().select().from(groupMembers).where(eq(groupMembers.operatorId, operator.id));
    expect(rows.map((r) => r.groupId)).toEqual([group.group.id]);
  });

  it("lets someone with an account elsewhere join with their own password", async () => {
    const made = await invite(owner, { email: y.agent.email, name: "Y Agent", role: "supervisor" });
    expect(made.status).toBe(201);
    const token = tokenOf(made.body.link);
    expect(await (await anonymous(`/api/ops/team/invites/${token}`)).json()).toMatchObject({ invite: { hasAccount: true } });
    const wrong = await anonymous(`/api/ops/team/invites/${token}/accept`, { method: "POST", json: { password: "not their password" } });
    expect(wrong.status).toBe(403);
    const right = await anonymous(`/api/ops/team/invites/${token}/accept`, { method: "POST", json: { password: y.agent.password } });
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ operator: { id: y.agent.id, workspaceId: x.workspaceId, role: "supervisor" } });
    // Already a member now: a second invite is refused.
    expect((await invite(owner, { email: y.agent.email, name: "Again", role: "operator" })).status).toBe(409);
  });

  it("never gives a role above the inviter's own; only owners make owners", async () => {
    expect((await invite(admin, { email: "o@example.test", name: "O", role: "owner" })).status).toBe(403);
    expect((await invite(owner, { email: `o-${Date.now()}@example.test`, name: "O", role: "owner" })).status).toBe(201);
    for (const role of ["supervisor", "operator"] as const) {
      const low = await member(x, role);
      expect((await invite(low, { email: "p@example.test", name: "P", role: "operator" })).status).toBe(403);
      expect((await low.request("/api/ops/team/invites")).status).toBe(403);
    }
  });

  it("refuses bad input with a 400 that says what is wrong", async () => {
    for (const body of [{ email: "nope", name: "N", role: "operator" }, { email: "a@b.test", name: "", role: "operator" }, { email: "a@b.test", name: "N", role: "king" }, { email: "a@b.test", name: "N", role: "operator", groupIds: ["x"] }]) {
      const made = await invite(admin, body);
      expect(made.status).toBe(400);
      expect(made.body.error.code).toBe("invalid_request");
    }
    expect((await anonymous("/api/ops/team/invites/unknown-token")).status).toBe(404);
    expect((await anonymous("/api/ops/team/invites/unknown-token/accept", { method: "POST", json: { password: "a long new password" } })).status).toBe(404);
  });

  it("lists pending invites and revokes them; a revoked link is gone", async () => {
    const made = await invite(admin, { email: `r-${Date.now()}@example.test`, name: "Rita", role: "operator" });
    const list = (await (await admin.request("/api/ops/team/invites")).json()) as { invites: { id: string }[] };
    expect(list.invites.map((i) => i.id)).toContain(made.body.invite.id);
    const yOwner = await signIn(y.owner.email, y.owner.password);
    expect((await yOwner.request(`/api/ops/team/invites/${made.body.invite.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await admin.request(`/api/ops/team/invites/${made.body.invite.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await admin.request(`/api/ops/team/invites/${made.body.invite.id}`, { method: "DELETE" })).status).toBe(404);
    const token = tokenOf(made.body.link);
    expect((await anonymous(`/api/ops/team/invites/${token}/accept`, { method: "POST", json: { password: "a long new password" } })).status).toBe(410);
  });
});
