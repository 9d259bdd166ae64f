// Helpers for the routing tests (D2, D3, D7, D8, D11): groups, presence, customers with a topic.
import { newId } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import { database, joinConversation, say, startVisitor, TestSocket } from "../scripts/test-kit/clients";

type Mode = "manual" | "least_busy" | "round_robin";

/** A skill group of the workspace with these members, straight into libSQL. */
export async function addGroup(workspaceId: string, name: string, mode: Mode, memberIds: string[], returnOnOffline = true) {
  const id = newId();
  const db = database();
  await db.run(sql`INSERT INTO groups (id, workspace_id, name, routing_mode, line, return_on_offline, created_at)
    VALUES (${id}, ${workspaceId}, ${name}, ${mode}, 1, ${returnOnOffline ? 1 : 0}, ${Date.now()})`);
  for (const operatorId of memberIds) {
    await db.run(sql`INSERT INTO group_members (group_id, operator_id) VALUES (${id}, ${operatorId})`);
  }
  return id;
}

export async function setMaxChats(workspaceId: string, operatorId: string, max: number) {
  await database().run(sql`UPDATE memberships SET max_chats = ${max} WHERE workspace_id = ${workspaceId} AND operator_id = ${operatorId}`);
}

type Requester = { request: (path: string, init?: RequestInit) => Promise<Response> };

export async function setPresence(operator: Requester, presence: "online" | "away" | "offline") {
  const response = await operator.request("/api/ops/routing/presence", { method: "PUT", body: JSON.stringify({ presence }) });
  if (response.status !== 200) throw new Error(`presence: ${response.status} ${await response.text()}`);
  return (await response.json()) as { presence: string; returned: number };
}

/** A customer who picked `topic` and wrote, so the conversation waits in the queue (or was routed at once). */
export async function customerWithTopic(siteKey: string, topic: string | undefined, text = "Hello, I need a person") {
  const visitor = await startVisitor(siteKey);
  const created = await visitor.request("/api/widget/conversations", {
    method: "POST",
    body: JSON.stringify({ context: { url: "https://shop.example/help" }, topic }),
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const id = ((await created.json()) as { conversation: { id: string } }).conversation.id;
  const socket = await joinConversation(id, { token: visitor.token });
  await say(socket, text);
  await socket.next((f) => f.type === "conversation" && f.conversation.status !== "bot");
  return { id, visitor, socket };
}

/** The conversation's row as stored. */
export async function stored(id: string) {
  const [row] = await database().all<{ status: string; groupId: string | null; assigneeId: string | null }>(
    sql`SELECT status, group_id AS groupId, assignee_id AS assigneeId FROM conversations WHERE id = ${id}`,
  );
  return row;
}

/** Polls the stored row until `check` holds. */
export async function storedUntil(id: string, check: (row: Awaited<ReturnType<typeof stored>>) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await stored(id);
    if (check(row)) return row;
    if (Date.now() > deadline) throw new Error(`conversation ${id} stayed ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The routing decisions logged for a conversation, oldest first. */
export async function decisions(id: string) {
  const rows = await database().all<{ data: string }>(sql`SELECT data FROM events WHERE conversation_id = ${id} AND type = 'routed' ORDER BY id`);
  return rows.map((r) => JSON.parse(r.data) as { operatorId: string | null; groupId: string | null; reason: string });
}

/** An operator's dashboard socket to the Inbox, live from now. */
export async function openInbox(workspaceId: string, cookie: string) {
  const socket = new TestSocket(`/parties/inbox/${workspaceId}`, { cookie });
  await socket.opened;
  const { version } = await versionNow(workspaceId);
  socket.send({ type: "resume", after: version });
  return socket;
}

async function versionNow(workspaceId: string) {
  const [row] = await database().all<{ version: number | null }>(sql`SELECT MAX(id) AS version FROM events WHERE workspace_id = ${workspaceId}`);
  return { version: row?.version ?? 0 };
}
