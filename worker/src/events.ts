import type { Db } from "./db/client";
import { events } from "./db/schema";

export type EventType =
  | "created"
  | "escalated"
  | "claimed"
  | "first_reply"
  | "transferred"
  | "closed"
  | "reopened"
  /** Routing gave the conversation to an operator; `data.reason` says why. */
  | "routed"
  /** An operator went offline and the conversation went back to the queue. */
  | "requeued"
  | "presence"
  /** A contact field changed; the bot records the fields it collected (B7) this way too. */
  | "contact_edited"
  /** An operator message answered a waiting customer message after the first reply; `data.seq` is that message (reply time, A1). */
  | "replied"
  /** The customer rated the conversation (W11, A5). */
  | "rated";

export type EventInput = {
  workspaceId: string;
  conversationId: string | null;
  type: EventType;
  actorKind: "visitor" | "bot" | "operator" | "system";
  actorId: string | null;
  data?: Record<string, unknown>;
  at: number;
};

/** The insert of one row of the append-only log, to run alone, in a batch or in a transaction. */
export function recordEvent(db: Pick<Db, "insert">, event: EventInput) {
  return db.insert(events).values({ ...event, data: event.data ?? {} });
}
