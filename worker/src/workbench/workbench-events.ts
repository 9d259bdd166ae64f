import type { Db } from "../db/client";
import { events } from "../db/schema";

// `recordEvent` takes the conversation lifecycle's names only; what operators
// do while working a conversation is logged here, with the same shape.
type WorkbenchEvent = "contact_edited" | "tag_added" | "tag_removed" | "note_added";

/** The insert of one row of the append-only log for something an operator did at the workbench. */
export function recordOperatorEvent(
  db: Pick<Db, "insert">,
  operator: { id: string; workspaceId: string },
  type: WorkbenchEvent,
  conversationId: string | null,
  data: Record<string, unknown>,
  at: number,
) {
  return db.insert(events).values({ workspaceId: operator.workspaceId, conversationId, type, actorKind: "operator", actorId: operator.id, data, at });
}
