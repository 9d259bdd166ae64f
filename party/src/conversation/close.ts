import type { Actor } from "../../../worker/src/auth/actor";
import type { ConversationRecord } from "../../../worker/src/conversations/load-conversation";
import { closeConversation } from "../../../worker/src/conversations/transitions";
import { drainFor, leftQueue } from "./queue-hooks";
import type { Room, RoomResult } from "./room";
import { appendSystem } from "./system-messages";

/** Closes the conversation: its queue place and its operator's slot are freed, and the silence timer goes. */
export async function closeBy(room: Room, record: ConversationRecord, actor: Actor): Promise<RoomResult> {
  if (!(await closeConversation(room.db, record, actor))) {
    return { ok: false, status: 409, code: "conflict", message: "conversation is already closed" };
  }
  // This room is the only writer of its status, so the cached one is what the close replaced.
  if (record.status === "queued") leftQueue(room, record);
  // Its operator has room for the next one now.
  if (record.status === "assigned" && record.assignee) drainFor(room, record.workspaceId, record.assignee.id);
  // The state first: it must reach everyone even if the notice below fails.
  const state = await room.changed();
  await appendSystem(room, "closed", "The conversation was closed", null);
  await room.idle.disarm();
  return { ok: true, conversation: state };
}
