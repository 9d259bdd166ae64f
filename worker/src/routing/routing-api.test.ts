import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, joinConversation, say, signIn, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { member } from "../../../scripts/test-kit/team-kit";
import {
  addGroup,
  customerWithTopic,
  decisions,
  openInbox,
  setMaxChats,
  setPresence,
  stored,
  storedUntil,
} from "../../../e2e/routing-kit";

// Routing through the public surface: the API, real rooms, real sqld.

let tenant: Tenant;
let owner: Operator;
let agent: Operator;
let other: Tenant;
let stranger: Operator;

const presenceOf = async (who: Operator) => ((await (await who.request("/api/ops/routing/presence")).json()) as { presence: string }).presence;

async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

const post = (who: Operator, path: string, body?: unknown) =>
  who.request(path, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });

beforeAll(async () => {
  tenant = await createTenant("Routing");
  owner = await signIn(tenant.owner.email, tenant.owner.password);
  agent = await signIn(tenant.agent.email, tenant.agent.password);
  other = await createTenant("Elsewhere");
  stranger = await signIn(other.owner.email, other.owner.password);
});

describe("presence", () => {
  it("is set by the operator, stored, and told to the workspace's dashboards", async () => {
    // Opening the dashboard's Inbox puts its operator online.
    const inbox = await openInbox(tenant.workspaceId, owner.cookie);
    await until(async () => (await presenceOf(owner)) === "online");
    expect((await agent.request("/api/ops/routing/presence", { method: "PUT", body: '{"presence":"busy"}' })).status).toBe(400);
    expect((await agent.request("/api/ops/routing/presence", { method: "PUT", body: "{" })).status).toBe(400);
    await setPresence(agent, "away");
    await inbox.next((f) => f.type === "presence" && f.operatorId === agent.id && f.presence === "away");
    expect(await (await agent.request("/api/ops/routing/presence")).json()).toMatchObject({ presence: "away" });
    await setPresence(agent, "offline");
    await inbox.close();
  });
});

describe("routing", () => {
  it("queues by topic, else the site's default group, and least busy gets the chat, with its reason", async () => {
    const t = await createTenant("Least");
    const a = await signIn(t.owner.email, t.owner.password);
    const b = await signIn(t.agent.email, t.agent.password);
    const billing = await addGroup(t.workspaceId, "Billing", "least_busy", [a.id, b.id]);
    const tech = await addGroup(t.workspaceId, "Tech", "manual", [a.id]);
    await setPresence(a, "online");
    await setPresence(b, "online");
    // a already works on one chat: the next two go to b first, then a.
    const first = await customerWithTopic(t.publicKey, "Billing");
    const firstTaker = (await storedUntil(first.id, (r) => r.status === "assigned")).assigneeId;
    const second = await customerWithTopic(t.publicKey, "billing");
    const secondRow = await storedUntil(second.id, (r) => r.status === "assigned");
    expect(secondRow.assigneeId).not.toBe(firstTaker);
    expect(secondRow.groupId).toBe(billing);
    // Two decisions, each logged with its reason: the queue, then the operator.
    expect(await decisions(second.id)).toEqual([
      { operatorId: null, groupId: billing, reason: "queued in Billing: the customer's topic" },
      { operatorId: secondRow.assigneeId, groupId: billing, reason: "least busy: 0 of 5 chats" },
    ]);
    const third = await customerWithTopic(t.publicKey, "Billing");
    await storedUntil(third.id, (r) => r.status === "assigned");
    expect((await decisions(third.id)).at(-1)!.reason).toBe("least busy: 1 of 5 chats");
    // The customer's room says who joined.
    await third.socket.next((f) => f.type === "conversation" && f.conversation.status === "assigned");

    // A manual group waits for a pick; an unknown topic goes to the site's default group, or to none.
    const manual = await customerWithTopic(t.publicKey, "Tech");
    expect(await stored(manual.id)).toMatchObject({ status: "queued", groupId: tech, assigneeId: null });
    const loose = await customerWithTopic(t.publicKey, "Something else");
    expect(await stored(loose.id)).toMatchObject({ status: "queued", groupId: null });
    expect(await decisions(loose.id)).toEqual([{ operatorId: null, groupId: null, reason: "queued for anyone: no group" }]);
    await database().run(sql`UPDATE sites SET default_group_id = ${tech} WHERE id = ${t.siteId}`);
    const defaulted = await customerWithTopic(t.publicKey, undefined);
    expect(await stored(defaulted.id)).toMatchObject({ status: "queued", groupId: tech });
    expect(await decisions(defaulted.id)).toEqual([{ operatorId: null, groupId: tech, reason: "queued in Tech: the site's default group" }]);

    // The detail shows why it went to whom.
    const detail = (await (await a.request(`/api/ops/conversations/${second.id}`)).json()) as { routing: { reason: string } };
    expect(detail.routing.reason).toBe("least busy: 0 of 5 chats");
    const decision = await a.request(`/api/ops/routing/conversations/${second.id}/decision`);
    expect(await decision.json()).toMatchObject({ decision: { reason: "least busy: 0 of 5 chats", groupId: billing } });
    expect((await stranger.request(`/api/ops/routing/conversations/${second.id}/decision`)).status).toBe(404);
  });

  it("gives chats only to online operators below their maximum, oldest waiting first, round robin", async () => {
    const t = await createTenant("Robin");
    const a = await signIn(t.owner.email, t.owner.password);
    const group = await addGroup(t.workspaceId, "Sales", "round_robin", [a.id]);
    await setMaxChats(t.workspaceId, a.id, 1);
    const older = await customerWithTopic(t.publicKey, "Sales", "first in line");
    const younger = await customerWithTopic(t.publicKey, "Sales", "second in line");
    expect(await stored(older.id)).toMatchObject({ status: "queued", groupId: group });
    await younger.socket.next((f) => f.type === "conversation" && f.conversation.queuePosition === 2);

    await setPresence(a, "online");
    await storedUntil(older.id, (r) => r.status === "assigned" && r.assigneeId === a.id);
    expect((await decisions(older.id)).at(-1)!.reason).toBe("round robin");
    // Full (max 1): the younger one waits, now first in line.
    await younger.socket.next((f) => f.type === "conversation" && f.conversation.queuePosition === 1);
    expect((await stored(younger.id)).status).toBe("queued");

    // Closing frees a place: the next waiting one comes at once.
    expect((await post(a, `/api/ops/conversations/${older.id}/close`)).status).toBe(200);
    await storedUntil(younger.id, (r) => r.status === "assigned" && r.assigneeId === a.id);
  });

  it("lets exactly one of two operators claiming at the same moment win; the other hears who has it", async () => {
    for (let round = 0; round < 3; round++) {
      const { id } = await customerWithTopic(tenant.publicKey, undefined, `race ${round}`);
      const [x, y] = await Promise.all([post(owner, `/api/ops/conversations/${id}/claim`), post(agent, `/api/ops/conversations/${id}/claim`)]);
      const statuses = [x.status, y.status].sort();
      expect(statuses).toEqual([200, 409]);
      const loser = x.status === 409 ? x : y;
      const winner = x.status === 200 ? owner : agent;
      expect(((await loser.json()) as { error: { message: string } }).error.message).toMatch(/^already taken by /);
      expect((await stored(id)).assigneeId).toBe(winner.id);
      const claims = await database().all<{ n: number }>(sql`SELECT COUNT(*) AS n FROM events WHERE conversation_id = ${id} AND type = 'claimed'`);
      expect(claims[0].n).toBe(1);
      expect((await decisions(id)).at(-1)).toMatchObject({ operatorId: winner.id, reason: "picked by hand" });
    }
  });

  it("returns an offline operator's chats to the queue where the group asks for it", async () => {
    const t = await createTenant("Return");
    const a = await signIn(t.owner.email, t.owner.password);
    await addGroup(t.workspaceId, "Returns", "least_busy", [a.id], true);
    const keep = await addGroup(t.workspaceId, "Keeps", "manual", [a.id], false);
    await setPresence(a, "online");
    const returned = await customerWithTopic(t.publicKey, "Returns");
    await storedUntil(returned.id, (r) => r.status === "assigned");
    const kept = await customerWithTopic(t.publicKey, "Keeps");
    expect((await post(a, `/api/ops/conversations/${kept.id}/claim`)).status).toBe(200);

    const from = returned.socket.frames.length;
    expect(await setPresence(a, "offline")).toMatchObject({ returned: 1 });
    expect(await stored(returned.id)).toMatchObject({ status: "queued", assigneeId: null });
    expect(await stored(kept.id)).toMatchObject({ status: "assigned", groupId: keep, assigneeId: a.id });
    await returned.socket.next((f) => f.type === "conversation" && f.conversation.status === "queued" && f.conversation.queuePosition === 1, { from });
    const [requeued] = await database().all<{ data: string }>(sql`SELECT data FROM events WHERE conversation_id = ${returned.id} AND type = 'requeued'`);
    expect(JSON.parse(requeued.data)).toMatchObject({ operatorId: a.id, reason: "operator went offline" });
  });
});

describe("transfer", () => {
  it("refuses bad input, other workspaces' ids and operators who may not", async () => {
    const { id } = await customerWithTopic(tenant.publicKey, undefined, "transfer checks");
    expect((await post(agent, `/api/ops/conversations/${id}/claim`)).status).toBe(200);
    const path = `/api/ops/routing/conversations/${id}/transfer`;
    expect((await post(agent, path, {})).status).toBe(400);
    expect((await post(agent, path, { operatorId: owner.id, groupId: owner.id })).status).toBe(400);
    expect((await post(agent, path, { operatorId: "nope" })).status).toBe(400);
    expect((await post(agent, path, { operatorId: owner.id, note: "x".repeat(2001) })).status).toBe(400);
    expect((await post(agent, path, { operatorId: other.ownerId })).status).toBe(404);
    const foreignGroup = await addGroup(other.workspaceId, "Theirs", "manual", []);
    expect((await post(agent, path, { groupId: foreignGroup })).status).toBe(404);
    expect((await post(stranger, path, { operatorId: other.ownerId })).status).toBe(404);
    // Not the assignee, not a supervisor.
    const plain = await member(tenant, "operator");
    const refused = await post(plain, path, { operatorId: plain.id });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });
  });

  it("hands the chat to an operator with a private note; the customer's chat goes on in the same room", async () => {
    const customer = await customerWithTopic(tenant.publicKey, undefined, "please pass me on");
    expect((await post(agent, `/api/ops/conversations/${customer.id}/claim`)).status).toBe(200);
    const response = await post(agent, `/api/ops/routing/conversations/${customer.id}/transfer`, { operatorId: owner.id, note: "Wants a refund, order 1042" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ conversation: { status: "assigned", assignee: { id: owner.id } } });
    await customer.socket.next((f) => f.type === "conversation" && f.conversation.assignee?.id === owner.id);
    const notes = (await (await owner.request(`/api/ops/workbench/conversations/${customer.id}/card`)).json()) as { notes: { body: string }[] };
    expect(notes.notes.map((n) => n.body)).toContain("Wants a refund, order 1042");
    expect((await decisions(customer.id)).at(-1)).toMatchObject({ operatorId: owner.id, reason: `transferred by ${tenant.agent.name}` });
    // The customer never sees the note, and keeps writing into the same conversation.
    expect(customer.socket.frames.some((f) => JSON.stringify(f).includes("order 1042"))).toBe(false);
    expect((await say(customer.socket, "still here")).type).toBe("ack");
    // Transferring to the one who has it already is a conflict.
    expect((await post(owner, `/api/ops/routing/conversations/${customer.id}/transfer`, { operatorId: owner.id })).status).toBe(409);
  });

  it("sends the chat to a group's queue", async () => {
    const group = await addGroup(tenant.workspaceId, `Second line ${Date.now()}`, "manual", [owner.id]);
    const customer = await customerWithTopic(tenant.publicKey, undefined, "second line please");
    expect((await post(agent, `/api/ops/conversations/${customer.id}/claim`)).status).toBe(200);
    const response = await post(agent, `/api/ops/routing/conversations/${customer.id}/transfer`, { groupId: group });
    expect(response.status).toBe(200);
    expect(await stored(customer.id)).toMatchObject({ status: "queued", groupId: group, assigneeId: null });
    await customer.socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
  });
});

describe("close and reopen", () => {
  it("lets an operator reopen a closed conversation, and only a closed one", async () => {
    const { id } = await customerWithTopic(tenant.publicKey, undefined, "reopen me");
    expect((await post(agent, `/api/ops/routing/conversations/${id}/reopen`)).status).toBe(409);
    expect((await post(agent, `/api/ops/conversations/${id}/close`)).status).toBe(200);
    expect((await post(stranger, `/api/ops/routing/conversations/${id}/reopen`)).status).toBe(404);
    const reopened = await post(agent, `/api/ops/routing/conversations/${id}/reopen`);
    expect(reopened.status).toBe(200);
    expect(await stored(id)).toMatchObject({ status: "assigned", assigneeId: agent.id });
    expect((await decisions(id)).at(-1)!.reason).toBe("reopened by hand");
  });

  it("reopens when the customer writes again within the site's window, and not after it", async () => {
    const customer = await customerWithTopic(tenant.publicKey, undefined, "thanks, bye");
    expect((await post(agent, `/api/ops/conversations/${customer.id}/close`)).status).toBe(200);
    await customer.socket.next((f) => f.type === "conversation" && f.conversation.status === "closed");
    expect((await say(customer.socket, "oh, one more thing")).type).toBe("ack");
    expect(await stored(customer.id)).toMatchObject({ status: "queued" });
    const [event] = await database().all<{ n: number }>(sql`SELECT COUNT(*) AS n FROM events WHERE conversation_id = ${customer.id} AND type = 'reopened'`);
    expect(event.n).toBe(1);

    await database().run(sql`UPDATE sites SET reopen_minutes = 0 WHERE id = ${tenant.siteId}`);
    try {
      expect((await post(agent, `/api/ops/conversations/${customer.id}/close`)).status).toBe(200);
      // The same live room, which read the window before it changed: it reads it afresh.
      expect(await say(customer.socket, "back a week later")).toMatchObject({ type: "error", code: "closed" });
      expect((await stored(customer.id)).status).toBe("closed");
      // And so does a fresh socket, as after a page load.
      const later = await joinConversation(customer.id, { token: customer.visitor.token });
      expect(await say(later, "back again")).toMatchObject({ type: "error", code: "closed" });
      await later.close();
    } finally {
      await database().run(sql`UPDATE sites SET reopen_minutes = 60 WHERE id = ${tenant.siteId}`);
    }
  });
});

describe("supervisor overview", () => {
  it("shows supervisors every live conversation and each operator's presence and load; not to operators, not across workspaces", async () => {
    const { id } = await customerWithTopic(tenant.publicKey, undefined, "overview me");
    expect((await agent.request("/api/ops/routing/overview")).status).toBe(403);
    const supervisor = await member(tenant, "supervisor");
    const response = await supervisor.request("/api/ops/routing/overview");
    expect(response.status).toBe(200);
    const overview = (await response.json()) as { conversations: { id: string }[]; operators: { id: string; load: number; presence: string }[] };
    expect(overview.conversations.map((c) => c.id)).toContain(id);
    expect(overview.operators.map((o) => o.id)).toEqual(expect.arrayContaining([owner.id, agent.id, supervisor.id]));
    const theirs = (await (await stranger.request("/api/ops/routing/overview")).json()) as typeof overview;
    expect(theirs.conversations.map((c) => c.id)).not.toContain(id);
    expect(theirs.operators.map((o) => o.id)).not.toContain(owner.id);
    const targets = (await (await stranger.request("/api/ops/routing/targets")).json()) as { operators: { id: string }[] };
    expect(targets.operators.map((o) => o.id)).toContain(other.ownerId);
    expect(targets.operators.map((o) => o.id)).not.toContain(owner.id);
  });
});
