import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

export type RoutingMode = "manual" | "least_busy" | "round_robin";

export type Pick = { operatorId: string; reason: string };

type Candidate = { id: string; load: number; maxChats: number; lastAssignedAt: number | null };

/**
 * Who gets a conversation of `groupId` now, by the group's mode: among its
 * members who are online, active and below their maximum, the least busy
 * (ties: the one who waited longest since their last chat), or the next in
 * turn (round robin: the longest since their last chat). Null when nobody
 * can take it, or the group waits for a pick by hand.
 */
export async function pickOperator(db: Db, workspaceId: string, groupId: string, mode: RoutingMode): Promise<Pick | null> {
  if (mode === "manual") return null;
  const rows = await db.all<Candidate>(sql`
    SELECT m.operator_id AS id, m.max_chats AS maxChats, m.last_assigned_at AS lastAssignedAt,
      (SELECT COUNT(*) FROM conversations AS c
        WHERE c.workspace_id = m.workspace_id AND c.assignee_id = m.operator_id AND c.status = 'assigned') AS load
    FROM group_members AS gm
    JOIN memberships AS m ON m.operator_id = gm.operator_id AND m.workspace_id = ${workspaceId}
    JOIN operators AS o ON o.id = m.operator_id
    WHERE gm.group_id = ${groupId} AND m.presence = 'online' AND o.deactivated_at IS NULL`);
  const free = rows.filter((r) => r.load < r.maxChats);
  if (free.length === 0) return null;
  // Never assigned sorts first: a newcomer is the one who waited longest.
  const since = (r: Candidate) => r.lastAssignedAt ?? -1;
  free.sort((a, b) => (mode === "least_busy" ? a.load - b.load : 0) || since(a) - since(b) || a.id.localeCompare(b.id));
  const chosen = free[0];
  const reason = mode === "least_busy" ? `least busy: ${chosen.load} of ${chosen.maxChats} chats` : "round robin";
  return { operatorId: chosen.id, reason };
}

/** A group's routing mode, if the group is in the workspace. */
export async function groupMode(db: Db, workspaceId: string, groupId: string): Promise<RoutingMode | null> {
  const [row] = await db.all<{ mode: RoutingMode }>(
    sql`SELECT routing_mode AS mode FROM groups WHERE id = ${groupId} AND workspace_id = ${workspaceId}`,
  );
  return row?.mode ?? null;
}
