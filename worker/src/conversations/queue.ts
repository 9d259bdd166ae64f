import { and, asc, eq, gt, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { conversations } from "../db/schema";

/** More than any queue a customer waits in; positions beyond it are refreshed when the customer reconnects. */
const BEHIND_LIMIT = 1000;

/**
 * The queued conversations that moved up one place when `left` left the
 * queue: same workspace and group, escalated after it (or at the same
 * millisecond with a larger id), in queue order.
 */
export async function queuedBehind(
  db: Db,
  left: { id: string; workspaceId: string; groupId: string | null; escalatedAt: number | null },
): Promise<string[]> {
  if (left.escalatedAt === null) return [];
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.workspaceId, left.workspaceId),
        eq(conversations.status, "queued"),
        sql`${conversations.groupId} IS ${left.groupId}`,
        or(
          gt(conversations.escalatedAt, left.escalatedAt),
          and(eq(conversations.escalatedAt, left.escalatedAt), gt(conversations.id, left.id)),
        ),
      ),
    )
    .orderBy(asc(conversations.escalatedAt), asc(conversations.id))
    .limit(BEHIND_LIMIT);
  return rows.map((row) => row.id);
}
