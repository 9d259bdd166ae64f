import type { OperatorActor } from "../../../worker/src/auth/actor";
import type { ConversationRecord } from "../../../worker/src/conversations/load-conversation";
import { claimConversation } from "../../../worker/src/conversations/transitions";
import { leftQueue } from "./queue-hooks";
import type { Room, RoomResult } from "./room";
import { appendSystem } from "./system-messages";

/** An operator takes the conversation from the queue or from the bot; the database decides who won. */
export async function claimBy(room: Room, record: ConversationRecord, operator: OperatorActor): Promise<RoomResult> {
  const reason = record.status === "bot" ? "took over from the bot" : "picked by hand";
  if (!(await claimConversation(room.db, record, operator, reason))) {
    const now = await room.reload();
    const message = now?.assignee ? `already taken by ${now.assignee.name}` : `conversation is ${now?.status}`;
    return { ok: false, status: 409, code: "conflict", message };
  }
  if (record.status === "queued") leftQueue(room, record);
  const state = await room.changed();
  await appendSystem(room, "joined", `${operator.name} joined the conversation`, operator.name);
  return { ok: true, conversation: state };
}
