import type { InboxEvent } from "@tandem/protocol";
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client";
import { events } from "../db/schema";

/** A workspace's events newer than `after`, oldest first, as the Inbox sends them. */
export async function readEventsAfter(db: Db, workspaceId: string, after: number, limit: number): Promise<InboxEvent[]> {
  const rows = await db
    .select({
      version: events.id,
      type: events.type,
      conversationId: events.conversationId,
      actorKind: events.actorKind,
      actorId: events.actorId,
      at: events.at,
    })
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), gt(events.id, after)))
    .orderBy(asc(events.id))
    .limit(limit);
  return rows;
}
