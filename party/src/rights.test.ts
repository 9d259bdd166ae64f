import { newId } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, joinConversation, say, signIn, startVisitor, type Operator, type Tenant } from "../../scripts/test-kit/clients";
import { member } from "../../scripts/test-kit/team-kit";
import { addGroup, customerWithTopic, decisions, setMaxChats, setPresence, stored } from "../../e2e/routing-kit";

// Who may act on a conversation (D1, D7, D11), through the API and the rooms.

let tenant: Tenant;
let owner: Operator;
let agent: Operator;
let plain: Operator;
let supervisor: Operator;

const post = (who: Operator, path: string, body?: unknown) =>
  who.request(path, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });

const message = (who: Operator, id: string, body: string) =>
  post(who, `/api/ops/conversations/${id}/messages`, { clientMsgId: newId(), body });

const bodies = async (id: string) =>
  (await database().all<{ body: string }>(sql`SELECT body FROM messages WHERE conversation_id = ${id} ORDER BY seq`)).map((m) => m.body);

const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

/** A customer waiting in the queue whom `who` took. */
async function takenBy(who: Operator, text: string) {
  const customer = await customerWithTopic(tenant.publicKey, undefined, text);
  expect((await post(who, `/api/ops/conversations/${customer.id}/claim`)).status).toBe(200);
  return customer;
}

beforeAll(async () => {
  tenant = await createTenant("Rights");
  owner = await signIn(tenant.owner.email, tenant.owner.password);
  agent = await signIn(tenant.agent.email, tenant.agent.password);
  plain = await member(tenant, "operator", "plain");
  supervisor = await member(tenant, "supervisor");
});

describe("another operator's conversation", () => {
  it("is not a plain operator's to write into, over the API or the socket; nothing is stored and their typing is not shown", async () => {
    const customer = await takenBy(agent, "I am with the agent");
    const refused = await message(plain, customer.id, "let me butt in");
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({ code: "forbidden", message: expect.stringContaining(tenant.agent.name) });

    const socket = await joinConversation(customer.id, { cookie: plain.cookie });
    const from = customer.socket.frames.length;
    socket.send({ type: "typing", typing: true });
    const reply = await say(socket, "over the socket");
    expect(reply).toMatchObject({ type: "error", code: "not_allowed" });
    // The socket stays: reading goes on, and the agent's next message reaches it.
    const agentSays = await message(agent, customer.id, "the agent answers");
    expect(agentSays.status).toBe(201);
    await socket.next((f) => f.type === "message" && f.message.body === "the agent answers");
    await customer.socket.next((f) => f.type === "message" && f.message.body === "the agent answers", { from });
    expect(customer.socket.frames.slice(from).some((f) => f.type === "typing")).toBe(false);
    expect(await bodies(customer.id)).not.toContain("let me butt in");
    expect(await bodies(customer.id)).not.toContain("over the socket");
    expect(await stored(customer.id)).toMatchObject({ status: "assigned", assigneeId: agent.id });
    // Looking is not reading for the agent: the customer is not told "seen".
    const last = (await socket.next((f) => f.type === "message" && f.message.body === "the agent answers")).message.seq;
    socket.send({ type: "read", seq: last });
    await new Promise((r) => setTimeout(r, 300));
    const [marks] = await database().all<{ seq: number }>(sql`SELECT operator_read_seq AS seq FROM conversations WHERE id = ${customer.id}`);
    expect(marks.seq).toBeLessThan(last);
    await socket.close();
  });

  it("gives a retry of what its operator stored before the conversation moved on its original message, not a refusal", async () => {
    const customer = await takenBy(agent, "retry me");
    const clientMsgId = newId();
    const first = await post(agent, `/api/ops/conversations/${customer.id}/messages`, { clientMsgId, body: "sent once" });
    expect(first.status).toBe(201);
    const { seq } = ((await first.json()) as { message: { seq: number } }).message;
    await setPresence(supervisor, "online");
    expect((await post(supervisor, `/api/ops/routing/conversations/${customer.id}/transfer`, { operatorId: supervisor.id })).status).toBe(200);
    const retry = await post(agent, `/api/ops/conversations/${customer.id}/messages`, { clientMsgId, body: "sent once" });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ duplicate: true, message: { seq } });
    expect((await message(agent, customer.id, "but a new one is refused")).status).toBe(403);
    await setPresence(supervisor, "offline");
  });

  it("is a supervisor's to join: their message goes to the customer and the agent keeps the conversation", async () => {
    const customer = await takenBy(agent, "supervise me");
    const joined = await message(supervisor, customer.id, "A supervisor here, I can help too");
    expect(joined.status).toBe(201);
    await customer.socket.next((f) => f.type === "message" && f.message.body === "A supervisor here, I can help too");
    expect(await stored(customer.id)).toMatchObject({ status: "assigned", assigneeId: agent.id });
  });

  it("is closed only by its operator or a supervisor, inside the room", async () => {
    const customer = await takenBy(agent, "close me");
    const refused = await post(plain, `/api/ops/conversations/${customer.id}/close`);
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({ code: "forbidden" });
    expect((await stored(customer.id)).status).toBe("assigned");
    expect((await post(supervisor, `/api/ops/conversations/${customer.id}/close`)).status).toBe(200);
    expect((await stored(customer.id)).status).toBe("closed");
    // A closed one is a conflict, whoever asks.
    expect((await post(plain, `/api/ops/conversations/${customer.id}/close`)).status).toBe(409);
  });

  it("is reopened by the operator who had it or a supervisor; a plain operator may not take it that way", async () => {
    const customer = await takenBy(agent, "reopen rights");
    expect((await post(agent, `/api/ops/conversations/${customer.id}/close`)).status).toBe(200);
    const refused = await post(plain, `/api/ops/routing/conversations/${customer.id}/reopen`);
    expect(refused.status).toBe(403);
    expect((await stored(customer.id)).status).toBe("closed");
    expect((await post(agent, `/api/ops/routing/conversations/${customer.id}/reopen`)).status).toBe(200);
    expect(await stored(customer.id)).toMatchObject({ status: "assigned", assigneeId: agent.id });
    expect((await post(agent, `/api/ops/conversations/${customer.id}/close`)).status).toBe(200);
    expect((await post(supervisor, `/api/ops/routing/conversations/${customer.id}/reopen`)).status).toBe(200);
    expect(await stored(customer.id)).toMatchObject({ status: "assigned", assigneeId: supervisor.id });
  });

  it("is reassigned by a supervisor to another operator, who then may write and the first may not", async () => {
    const customer = await takenBy(agent, "reassign me");
    await setPresence(plain, "online");
    const moved = await post(supervisor, `/api/ops/routing/conversations/${customer.id}/transfer`, { operatorId: plain.id });
    expect(moved.status).toBe(200);
    await customer.socket.next((f) => f.type === "conversation" && f.conversation.assignee?.id === plain.id);
    expect((await message(agent, customer.id, "still mine?")).status).toBe(403);
    expect((await message(plain, customer.id, "I have it now")).status).toBe(201);
    expect((await decisions(customer.id)).at(-1)).toMatchObject({ operatorId: plain.id, reason: expect.stringContaining("transferred by") });
    await setPresence(plain, "offline");
  });
});

describe("a role that changes", () => {
  it("reaches sockets already open: a demoted supervisor's connect again and may no longer write into another's chat", async () => {
    const customer = await takenBy(agent, "demote me");
    const demoted = await member(tenant, "supervisor", "demoted");
    const socket = await joinConversation(customer.id, { cookie: demoted.cookie });
    expect((await say(socket, "a supervisor joins")).type).toBe("ack");
    const changed = await owner.request(`/api/ops/team/operators/${demoted.id}`, { method: "PATCH", body: JSON.stringify({ role: "operator" }) });
    expect(changed.status).toBe(200);
    expect((await socket.closed).code).toBe(1012);
    const again = await joinConversation(customer.id, { cookie: demoted.cookie });
    expect(await say(again, "and again")).toMatchObject({ type: "error", code: "not_allowed" });
    expect(await bodies(customer.id)).not.toContain("and again");
    await again.close();
  });
});

describe("a conversation with the bot", () => {
  it("is taken over by the operator who writes into it, and logged as such", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    expect(await stored(id)).toMatchObject({ status: "bot" });
    expect((await message(owner, id, "Hi, I am a person, not the bot")).status).toBe(201);
    expect(await stored(id)).toMatchObject({ status: "assigned", assigneeId: owner.id });
    await customer.next((f) => f.type === "conversation" && f.conversation.assignee?.id === owner.id);
    expect((await decisions(id)).at(-1)).toMatchObject({ operatorId: owner.id, reason: "took over from the bot" });
    const [row] = await database().all<{ escalatedAt: number | null }>(sql`SELECT escalated_at AS escalatedAt FROM conversations WHERE id = ${id}`);
    expect(row.escalatedAt).not.toBeNull();
    await customer.close();
  });

  it("keeps the group it would have queued in when an operator takes it over", async () => {
    const group = await addGroup(tenant.workspaceId, "Front desk", "manual", [owner.id]);
    await database().run(sql`UPDATE sites SET default_group_id = ${group} WHERE id = ${tenant.siteId}`);
    try {
      const visitor = await startVisitor(tenant.publicKey);
      const id = await visitor.createConversation();
      expect((await message(owner, id, "Taking this one")).status).toBe(201);
      expect(await stored(id)).toMatchObject({ status: "assigned", groupId: group });
    } finally {
      await database().run(sql`UPDATE sites SET default_group_id = NULL WHERE id = ${tenant.siteId}`);
    }
  });
});

describe("transfer to an operator who cannot take it", () => {
  it("refuses an offline operator, and one at their maximum unless a supervisor hands it over", async () => {
    const customer = await takenBy(agent, "who can take me");
    const path = `/api/ops/routing/conversations/${customer.id}/transfer`;
    await setPresence(plain, "offline");
    const offline = await post(agent, path, { operatorId: plain.id });
    expect(offline.status).toBe(409);
    expect((await errorOf(offline)).message).toBe(`${plain.name} is offline`);

    await setPresence(owner, "online");
    await setMaxChats(tenant.workspaceId, owner.id, 0);
    try {
      const full = await post(agent, path, { operatorId: owner.id });
      expect(full.status).toBe(409);
      expect((await errorOf(full)).message).toMatch(new RegExp(`^${tenant.owner.name} already has \\d+ of 0 chats$`));
      expect(await stored(customer.id)).toMatchObject({ assigneeId: agent.id });
      expect((await post(supervisor, path, { operatorId: owner.id })).status).toBe(200);
      expect(await stored(customer.id)).toMatchObject({ assigneeId: owner.id });
    } finally {
      await setMaxChats(tenant.workspaceId, owner.id, 5);
      await setPresence(owner, "offline");
    }
  });
});

describe("routing decisions when a conversation waits again", () => {
  it("logs why: its operator went offline (with or without a group), or its customer wrote again", async () => {
    const leaver = await member(tenant, "operator", "leaver");
    const group = await addGroup(tenant.workspaceId, "Returners", "manual", [leaver.id]);
    await setPresence(leaver, "online");
    const grouped = await customerWithTopic(tenant.publicKey, "Returners", "in a group");
    expect((await post(leaver, `/api/ops/conversations/${grouped.id}/claim`)).status).toBe(200);
    const loose = await takenBy(leaver, "in no group");
    expect(await setPresence(leaver, "offline")).toMatchObject({ returned: 2 });
    expect(await stored(loose.id)).toMatchObject({ status: "queued", assigneeId: null });
    expect((await decisions(grouped.id)).at(-1)).toEqual({
      operatorId: null,
      groupId: group,
      reason: `back in the queue of Returners: ${leaver.name} went offline`,
    });
    expect((await decisions(loose.id)).at(-1)).toEqual({
      operatorId: null,
      groupId: null,
      reason: `back in the queue for anyone: ${leaver.name} went offline`,
    });

    expect((await post(owner, `/api/ops/conversations/${grouped.id}/close`)).status).toBe(200);
    await grouped.socket.next((f) => f.type === "conversation" && f.conversation.status === "closed");
    expect((await say(grouped.socket, "one more thing")).type).toBe("ack");
    expect((await decisions(grouped.id)).at(-1)).toEqual({
      operatorId: null,
      groupId: group,
      reason: "back in the queue of Returners: the customer wrote again",
    });
  });
});
