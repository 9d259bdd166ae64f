import type { ConversationState } from "@tandem/protocol";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { conversations, operators } from "../db/schema";

export type ConversationRecord = ConversationState & {
  workspaceId: string;
  visitorId: string | null;
};

/** The state a room keeps of its conversation, or null when there is no such conversation. */
export async function loadConversation(db: Db, id: string): Promise<ConversationRecord | null> {
  const [row] = await db
    .select({
      id: conversations.id,
      workspaceId: conversations.workspaceId,
      visitorId: conversations.visitorId,
      status: conversations.status,
      lastSeq: conversations.lastSeq,
      assigneeId: conversations.assigneeId,
      assigneeName: operators.name,
    })
    .from(conversations)
    .leftJoin(operators, eq(operators.id, conversations.assigneeId))
    .where(eq(conversations.id, id))
    .limit(1);
  if (!row) return null;
  const { assigneeId, assigneeName, ...rest } = row;
  return { ...rest, assignee: assigneeId ? { id: assigneeId, name: assigneeName ?? "" } : null };
}

export function publicState(record: ConversationRecord): ConversationState {
  return { id: record.id, status: record.status, assignee: record.assignee, lastSeq: record.lastSeq };
}
