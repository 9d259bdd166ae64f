import type { Db } from "../db/client";
import { events } from "../db/schema";

// These events are about a contact or a visitor, not a conversation. `recordEvent` takes
// the conversation events' names only, so they are written here.
type ContactEvent = "contact_identified" | "contact_updated" | "visitor_signed_out";

/** The insert of one row of the append-only log for something a visitor did. */
export function recordVisitorEvent(
  db: Pick<Db, "insert">,
  visitor: { id: string; workspaceId: string },
  type: ContactEvent,
  data: Record<string, unknown>,
  at: number,
) {
  return db.insert(events).values({ workspaceId: visitor.workspaceId, conversationId: null, type, actorKind: "visitor", actorId: visitor.id, data, at });
}
