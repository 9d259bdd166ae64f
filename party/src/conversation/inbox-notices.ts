import type { Message } from "@tandem/protocol";
import type { ConversationRecord } from "../../../worker/src/conversations/load-conversation";
import { inboxRoom } from "../../../worker/src/rooms";
import { logError } from "../../../worker/src/log-error";
import type { Room } from "./room";

/** The workspace's Inbox reads its queue again. */
export function publish(room: Room, workspaceId: string) {
  room.waitUntil(inboxRoom(room.env, workspaceId).publish().catch((e) => logError("inbox publish", e)));
}

/** A new message shows in the Inbox's list (a customer's always; others once a human has the conversation). */
export function relayActivity(room: Room, record: ConversationRecord, message: Message) {
  if (record.status === "bot" && message.authorKind !== "visitor") return;
  const activity = {
    conversationId: record.id,
    lastSeq: message.seq,
    preview: message.body.slice(0, 140),
    authorKind: message.authorKind,
    at: message.at,
  };
  room.waitUntil(
    inboxRoom(room.env, record.workspaceId).relayActivity(activity).catch((e) => logError("inbox activity", e)),
  );
}
