import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, customerWrites, database, joinConversation, signIn, TestSocket, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { sites } from "../db/schema";
import { anonymous, json, member, PASSWORD } from "../../../scripts/test-kit/team-kit";

let x: Tenant;
let owner: Operator;
let admin: Operator;
let supervisor: Operator;
let agent: Operator;

beforeAll(async () => {
  x = await createTenant("Team");
  owner = await signIn(x.owner.email, x.owner.password);
  [admin, supervisor] = await Promise.all([member(x, "admin"), member(x, "supervisor")]);
  agent = await signIn(x.agent.email, x.agent.password);
});

const patch = (by: Operator, id: string, body: unknown) => by.request(`/api/ops/team/operators/${id}`, json("PATCH", body));

describe("operators", () => {
  it("are listed for everyone, with role, presence, max chats and groups", async () => {
    const response = await agent.request("/api/ops/team/operators");
    expect(response.status).toBe(200);
    const { operators } = (await response.json()) as { operators: any[] };
    expect(operators.find((o) => o.id === x.owner.id)).toMatchObject({ role: "owner", presence: "offline", maxChats: 5, groupIds: [], deactivated: false });
    expect((await agent.request("/api/ops/team/groups")).status).toBe(200);
  });

  it("change role and max chats only by an admin, never above the admin's own role", async () => {
    expect((await patch(agent, supervisor.id, { maxChats: 3 })).status).toBe(403);
    expect((await patch(supervisor, x.agent.id, { role: "supervisor" })).status).toBe(403);
    const changed = await patch(admin, x.agent.id, { role: "supervisor", maxChats: 8 });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ operator: { role: "supervisor", maxChats: 8 } });
    // The new role holds on the next request: the server reads it from the store each time.
    expect(await (await agent.request("/api/ops/me")).json()).toMatchObject({ operator: { role: "supervisor" } });
    expect((await patch(admin, x.agent.id, { role: "owner" })).status).toBe(403);
    expect((await patch(admin, x.owner.id, { role: "operator" })).status).toBe(403);
    expect((await patch(admin, x.agent.id, { role: "operator" })).status).toBe(200);
  });

  it("keeps at least one owner", async () => {
    const demoted = await patch(owner, x.owner.id, { role: "admin" });
    expect(demoted.status).toBe(409);
    expect(await demoted.json()).toMatchObject({ error: { code: "last_owner" } });
  });

  it("refuses bad input with a 400", async () => {
    for (const body of [{}, { role: "king" }, { maxChats: -1 }, { maxChats: 1.5 }, { maxChats: "3" }]) {
      const response = await patch(admin, x.agent.id, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
    expect((await patch(admin, "01ARZ3NDEKTSV4RRFFQ69G5FAV", { maxChats: 2 })).status).toBe(404);
  });

  it("deactivated: their inbox and open conversations close at once, they cannot sign in; reactivated they can", async () => {
    const victim = await member(x, "operator", "leaver");
    const inbox = new TestSocket(`/parties/inbox/${x.workspaceId}`, { cookie: victim.cookie });
    await inbox.opened;
    const { id: conversationId } = await customerWrites(x.publicKey, "for the leaver");
    const room = await joinConversation(conversationId, { cookie: victim.cookie });
    expect((await agent.request(`/api/ops/team/operators/${victim.id}/deactivate`, { method: "POST" })).status).toBe(403);
    const done = await admin.request(`/api/ops/team/operators/${victim.id}/deactivate`, { method: "POST" });
    expect(done.status).toBe(200);
    expect((await inbox.closed).code).toBe(4401);
    // The conversation they had open goes too: nothing more of it reaches them.
    expect((await room.closed).code).toBe(4401);
    expect((await victim.request("/api/ops/me")).status).toBe(401);
    await expect(signIn(victim.email, PASSWORD)).rejects.toThrow(/401/);
    const listed = (await (await admin.request("/api/ops/team/operators")).json()) as { operators: any[] };
    expect(listed.operators.find((o) => o.id === victim.id)).toMatchObject({ deactivated: true });

    expect((await admin.request(`/api/ops/team/operators/${victim.id}/reactivate`, { method: "POST" })).status).toBe(200);
    await signIn(victim.email, PASSWORD);
  });

  it("cannot deactivate oneself, nor an owner unless one is an owner", async () => {
    expect((await admin.request(`/api/ops/team/operators/${admin.id}/deactivate`, { method: "POST" })).status).toBe(409);
    expect((await admin.request(`/api/ops/team/operators/${x.owner.id}/deactivate`, { method: "POST" })).status).toBe(403);
  });
});

describe("groups", () => {
  it("are created, renamed, given members and deleted by admins only", async () => {
    expect((await supervisor.request("/api/ops/team/groups", json("POST", { name: "Nope" }))).status).toBe(403);
    const created = await admin.request("/api/ops/team/groups", json("POST", { name: "  Sales ", routingMode: "least_busy" }));
    expect(created.status).toBe(201);
    const { group } = (await created.json()) as { group: { id: string } };
    expect(group).toMatchObject({ name: "Sales", routingMode: "least_busy", returnOnOffline: true, memberIds: [] });

    const renamed = await admin.request(`/api/ops/team/groups/${group.id}`, json("PATCH", { name: "Sales EU", routingMode: "round_robin", returnOnOffline: false }));
    expect(await renamed.json()).toMatchObject({ group: { name: "Sales EU", routingMode: "round_robin", returnOnOffline: false } });
    expect((await agent.request(`/api/ops/team/groups/${group.id}`, json("PATCH", { name: "Mine" }))).status).toBe(403);

    expect((await admin.request(`/api/ops/team/groups/${group.id}/members/${x.agent.id}`, { method: "PUT" })).status).toBe(200);
    expect((await admin.request(`/api/ops/team/groups/${group.id}/members/${x.agent.id}`, { method: "PUT" })).status).toBe(200);
    const groups = (await (await agent.request("/api/ops/team/groups")).json()) as { groups: any[] };
    expect(groups.groups.find((g) => g.id === group.id).memberIds).toEqual([x.agent.id]);
    expect((await agent.request(`/api/ops/team/groups/${group.id}/members/${x.agent.id}`, { method: "DELETE" })).status).toBe(403);
    expect((await admin.request(`/api/ops/team/groups/${group.id}/members/${x.agent.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await admin.request(`/api/ops/team/groups/${group.id}/members/${x.agent.id}`, { method: "DELETE" })).status).toBe(404);

    expect((await admin.request(`/api/ops/team/sites/${x.siteId}/default-group`, json("PUT", { groupId: group.id }))).status).toBe(200);
    const [site] = await database().select().from(sites).where(eq(sites.id, x.siteId));
    expect(site.defaultGroupId).toBe(group.id);
    expect(await (await admin.request("/api/ops/team/sites")).json()).toMatchObject({ sites: [{ id: x.siteId, defaultGroupId: group.id }] });

    expect((await admin.request(`/api/ops/team/groups/${group.id}`, { method: "DELETE" })).status).toBe(200);
    const [after] = await database().select().from(sites).where(eq(sites.id, x.siteId));
    expect(after.defaultGroupId).toBeNull();
    expect((await admin.request(`/api/ops/team/groups/${group.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("refuses bad input with a 400", async () => {
    for (const body of [{}, { name: "" }, { name: "x".repeat(101) }, { name: "A", routingMode: "random" }, { name: "A", returnOnOffline: "yes" }]) {
      const response = await admin.request("/api/ops/team/groups", json("POST", body));
      expect(response.status).toBe(400);
    }
    expect((await admin.request(`/api/ops/team/groups/01ARZ3NDEKTSV4RRFFQ69G5FAV`, json("PATCH", {}))).status).toBe(400);
    expect((await admin.request(`/api/ops/team/sites/${x.siteId}/default-group`, json("PUT", { groupId: "bad" }))).status).toBe(400);
  });
});

describe("roles on the conversation API", () => {
  it("anyone claims and closes their own; closing someone else's needs a supervisor", async () => {
    const mine = await customerWrites(x.publicKey);
    expect((await agent.request(`/api/ops/conversations/${mine.id}/claim`, { method: "POST" })).status).toBe(200);
    expect((await agent.request(`/api/ops/conversations/${mine.id}/close`, { method: "POST" })).status).toBe(200);

    const theirs = await customerWrites(x.publicKey);
    expect((await owner.request(`/api/ops/conversations/${theirs.id}/claim`, { method: "POST" })).status).toBe(200);
    const refused = await agent.request(`/api/ops/conversations/${theirs.id}/close`, { method: "POST" });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });
    expect((await supervisor.request(`/api/ops/conversations/${theirs.id}/close`, { method: "POST" })).status).toBe(200);
  });

  it("refuses every team route without a session", async () => {
    for (const [method, path] of [["GET", "/api/ops/team/operators"], ["GET", "/api/ops/team/groups"], ["POST", "/api/ops/team/groups"], ["POST", "/api/ops/team/me/password"]]) {
      expect((await anonymous(path, { method, json: method === "POST" ? {} : undefined })).status).toBe(401);
    }
  });
});
