import type { ConversationState } from "@tandem/protocol";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { conversations, operators, sites } from "../db/schema";

export type ConversationRecord = ConversationState & {
  workspaceId: string;
  visitorId: string | null;
  groupId: string | null;
  escalatedAt: number | null;
  closedAt: number | null;
  /** A customer who writes this long after a close reopens it (D8); from the site. */
  reopenMs: number;
  /** The read marks (W9); the room is their only writer, so its copy stays true. */
  visitorReadSeq: number;
  operatorReadSeq: number;
  queuePosition: number | null;
};

/**
 * Place in the queue: the queued conversations of the same workspace and group
 * (no group is a group of its own) escalated before this one, or at the same
 * millisecond with a smaller id, plus this one. The conversations index on
 * (workspace_id, status) keeps the count to the queue itself.
 */
const queuePosition = sql<number | null>`CASE WHEN ${conversations.status} = 'queued' THEN (
  SELECT COUNT(*) FROM conversations AS ahead
  WHERE ahead.workspace_id = ${conversations.workspaceId} AND ahead.status = 'queued'
    AND ahead.group_id IS ${conversations.groupId}
    AND (ahead.escalated_at < ${conversations.escalatedAt}
      OR (ahead.escalated_at = ${conversations.escalatedAt} AND ahead.id <= ${conversations.id}))
) END`;

/** The state a room keeps of its conversation, or null when there is no such conversation. */
export async function loadConversation(db: Db, id: string): Promise<ConversationRecord | null> {
  const [row] = await db
    .select({
      id: conversations.id,
      workspaceId: conversations.workspaceId,
      visitorId: conversations.visitorId,
      groupId: conversations.groupId,
      status: conversations.status,
      lastSeq: conversations.lastSeq,
      escalatedAt: conversations.escalatedAt,
      closedAt: conversations.closedAt,
      reopenMinutes: sites.reopenMinutes,
      visitorReadSeq: conversations.visitorReadSeq,
      operatorReadSeq: conversations.operatorReadSeq,
      queuePosition,
      assigneeId: conversations.assigneeId,
      assigneeName: operators.name,
    })
    .from(conversations)
    .leftJoin(operators, eq(operators.id, conversations.assigneeId))
    .leftJoin(sites, eq(sites.id, conversations.siteId))
    .where(eq(conversations.id, id))
    .limit(1);
  if (!row) return null;
  const { assigneeId, assigneeName, reopenMinutes, ...rest } = row;
  return { ...rest, reopenMs: (reopenMinutes ?? 0) * 60_000, assignee: assigneeId ? { id: assigneeId, name: assigneeName ?? "" } : null };
}

export function publicState(record: ConversationRecord): ConversationState {
  return {
    id: record.id,
    status: record.status,
    assignee: record.assignee,
    lastSeq: record.lastSeq,
    queuePosition: record.queuePosition,
  };
}
