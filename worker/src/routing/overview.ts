import type { GroupInfo, OperatorLoad, RoutingDecision } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/** The workspace's groups, by name. */
export function readGroups(db: Db, workspaceId: string) {
  return db.all<GroupInfo>(sql`
    SELECT id, name, routing_mode AS routingMode FROM groups WHERE workspace_id = ${workspaceId} ORDER BY name, id`);
}

/** Every active operator of the workspace with presence, load and groups; or just `operatorId`. */
export async function readOperatorLoads(db: Db, workspaceId: string, operatorId?: string): Promise<OperatorLoad[]> {
  const rows = await db.all<Omit<OperatorLoad, "groupIds"> & { groupIds: string | null }>(sql`
    SELECT o.id, o.name, m.role, m.presence, m.presence_at AS presenceAt, m.max_chats AS maxChats,
      (SELECT COUNT(*) FROM conversations AS c
        WHERE c.workspace_id = m.workspace_id AND c.assignee_id = o.id AND c.status = 'assigned') AS load,
      (SELECT group_concat(gm.group_id) FROM group_members AS gm JOIN groups AS g ON g.id = gm.group_id
        WHERE gm.operator_id = o.id AND g.workspace_id = m.workspace_id) AS groupIds
    FROM memberships AS m JOIN operators AS o ON o.id = m.operator_id
    WHERE m.workspace_id = ${workspaceId} AND o.deactivated_at IS NULL ${operatorId ? sql`AND o.id = ${operatorId}` : sql``}
    ORDER BY o.name, o.id`);
  return rows.map((r) => ({ ...r, groupIds: r.groupIds ? r.groupIds.split(",") : [] }));
}

/** Is `operatorId` an active operator of the workspace? Their name if so. */
export async function activeOperator(db: Db, workspaceId: string, operatorId: string) {
  const [row] = await db.all<{ id: string; name: string }>(sql`
    SELECT o.id, o.name FROM memberships AS m JOIN operators AS o ON o.id = m.operator_id
    WHERE m.workspace_id = ${workspaceId} AND o.id = ${operatorId} AND o.deactivated_at IS NULL`);
  return row ?? null;
}

/** A group of the workspace, by id. */
export async function findGroup(db: Db, workspaceId: string, groupId: string) {
  const [row] = await db.all<GroupInfo>(sql`
    SELECT id, name, routing_mode AS routingMode FROM groups WHERE id = ${groupId} AND workspace_id = ${workspaceId}`);
  return row ?? null;
}

/** Why a conversation went where it is: its latest `routed` event (the conversation is already checked). */
export async function latestDecision(db: Db, conversationId: string): Promise<RoutingDecision | null> {
  const [row] = await db.all<{ data: string; at: number }>(sql`
    SELECT data, at FROM events WHERE conversation_id = ${conversationId} AND type = 'routed'
    ORDER BY id DESC LIMIT 1`);
  if (!row) return null;
  const data = JSON.parse(row.data) as { reason?: string; operatorId?: string | null; groupId?: string | null };
  return { reason: data.reason ?? "", operatorId: data.operatorId ?? null, groupId: data.groupId ?? null, at: row.at };
}
