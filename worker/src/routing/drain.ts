import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Env } from "../env";
import { conversationRoom } from "../rooms";

/** More than any team takes in one go; the next free-up drains the rest. */
const MAX_ROUTED = 100;

/**
 * Offers the oldest waiting conversations of automatic groups to whoever
 * can take them, oldest first, until a group's oldest finds nobody (then
 * nobody can take the younger ones either: candidates are per group).
 * Each conversation's own room makes the assignment, so the room stays the
 * only writer of its status and tells its customer.
 */
export async function drainQueues(env: Env, db: Db, workspaceId: string, groupIds: string[]): Promise<number> {
  let routed = 0;
  for (const groupId of new Set(groupIds)) {
    const tried = new Set<string>();
    while (routed < MAX_ROUTED) {
      const [oldest] = await db.all<{ id: string }>(sql`
        SELECT c.id FROM conversations AS c JOIN groups AS g ON g.id = c.group_id
        WHERE c.workspace_id = ${workspaceId} AND c.status = 'queued' AND c.group_id = ${groupId}
          AND g.routing_mode != 'manual'
        ORDER BY c.escalated_at, c.id LIMIT 1`);
      if (!oldest || tried.has(oldest.id)) break;
      tried.add(oldest.id);
      const { assigned } = await conversationRoom(env, oldest.id).route();
      if (!assigned) break;
      routed++;
    }
  }
  return routed;
}

/** The groups an operator works in: where a chat may be waiting for them when they free up. */
export async function groupsOf(db: Db, workspaceId: string, operatorId: string): Promise<string[]> {
  const rows = await db.all<{ id: string }>(sql`
    SELECT g.id FROM group_members AS gm JOIN groups AS g ON g.id = gm.group_id
    WHERE gm.operator_id = ${operatorId} AND g.workspace_id = ${workspaceId} AND g.routing_mode != 'manual'`);
  return rows.map((r) => r.id);
}

/** After an operator freed up (closed a chat, came online, handed one on): offer them the oldest waiting. */
export async function drainForOperator(env: Env, db: Db, workspaceId: string, operatorId: string) {
  return drainQueues(env, db, workspaceId, await groupsOf(db, workspaceId, operatorId));
}
