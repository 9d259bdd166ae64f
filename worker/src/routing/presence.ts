import type { Presence } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import type { Actor } from "../auth/actor";
import type { Db } from "../db/client";
import type { Env } from "../env";
import { conversationRoom } from "../rooms";
import { drainForOperator, drainQueues } from "./drain";

export type PresenceChange = { changed: boolean; at: number; returned: number };

/**
 * Sets an operator's presence and logs it (`presence` event, for online
 * time). Going online offers them the oldest waiting chats of their groups;
 * going offline gives their chats in groups that ask for it back to the queue.
 */
export async function changePresence(
  env: Env,
  db: Db,
  workspaceId: string,
  operatorId: string,
  presence: Presence,
  actor: Actor,
  reason: string,
): Promise<PresenceChange> {
  const at = Date.now();
  const [update] = await db.batch([
    db.run(sql`UPDATE memberships SET presence = ${presence}, presence_at = ${at}
      WHERE workspace_id = ${workspaceId} AND operator_id = ${operatorId} AND presence != ${presence}`),
    db.run(sql`INSERT INTO events (workspace_id, conversation_id, type, actor_kind, actor_id, data, at)
      SELECT ${workspaceId}, NULL, 'presence', ${actor.kind}, ${actor.id},
             ${JSON.stringify({ operatorId, presence, reason })}, ${at}
      WHERE changes() = 1`),
  ]);
  const changed = update.rowsAffected === 1;
  let returned = 0;
  if (changed && presence === "offline") returned = await returnChats(env, db, workspaceId, operatorId);
  if (changed && presence === "online") await drainForOperator(env, db, workspaceId, operatorId);
  return { changed, at, returned };
}

/**
 * An operator went offline: their open chats wait in the queue again,
 * those of groups with return_on_offline and those of no group (nobody
 * could ask to keep them).
 */
export async function returnChats(env: Env, db: Db, workspaceId: string, operatorId: string): Promise<number> {
  const open = await db.all<{ id: string; groupId: string | null }>(sql`
    SELECT c.id, c.group_id AS groupId FROM conversations AS c LEFT JOIN groups AS g ON g.id = c.group_id
    WHERE c.workspace_id = ${workspaceId} AND c.assignee_id = ${operatorId} AND c.status = 'assigned'
      AND COALESCE(g.return_on_offline, 1) = 1`);
  let returned = 0;
  for (const { id } of open) {
    if (await conversationRoom(env, id).returnToQueue(operatorId, "operator went offline")) returned++;
  }
  // Someone else online may take them now.
  await drainQueues(env, db, workspaceId, open.flatMap((c) => (c.groupId ? [c.groupId] : [])));
  return returned;
}

/** The operator's presence as stored, or null if they are not in the workspace. */
export async function readPresence(db: Db, workspaceId: string, operatorId: string) {
  const [row] = await db.all<{ presence: Presence; presenceAt: number | null }>(sql`
    SELECT presence, presence_at AS presenceAt FROM memberships
    WHERE workspace_id = ${workspaceId} AND operator_id = ${operatorId}`);
  return row ?? null;
}
