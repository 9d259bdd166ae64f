import type { ConversationRecord } from "../../../worker/src/conversations/load-conversation";
import type { Room } from "./room";

/** Raises one side's read mark (never past the last message) and tells everyone. */
export function raiseReadMark(room: Room, record: ConversationRecord, by: "visitor" | "operator", seq: number) {
  const field = by === "visitor" ? "visitorReadSeq" : "operatorReadSeq";
  // The room is the only writer of the marks: its copy says whether this one is news, and is what
  // everyone is told at once. The store hears of it with the room's next write, or shortly.
  const mark = Math.min(seq, record.lastSeq);
  if (mark <= record[field]) return;
  record[field] = mark;
  room.broadcast({ type: "read", by, seq: mark });
  room.marks.raise(by, mark);
}
