import type { ConversationRecord } from "../../../worker/src/conversations/load-conversation";
import { queuedBehind } from "../../../worker/src/conversations/queue";
import { drainForOperator, drainQueues } from "../../../worker/src/routing/drain";
import { conversationRoom } from "../../../worker/src/rooms";
import { logError } from "../../../worker/src/log-error";
import type { Room } from "./room";

/**
 * `left` just left the queue, so every customer behind it in the same
 * group moved up one place: their rooms are told to recompute.
 *
 * Why pushed from here: this room made the transition, so it knows for
 * sure the conversation was queued, and the rooms behind it are one indexed
 * query away. A room with nobody connected answers without touching libSQL.
 * Polling (an alarm per waiting customer) would cost a query every few
 * seconds per waiting customer even when the queue stands still, and would
 * still be seconds late.
 */
export function leftQueue(room: Room, left: ConversationRecord) {
  const moved = queuedBehind(room.db, left).then((ids) =>
    Promise.all(ids.map((id) => conversationRoom(room.env, id).queueMoved())),
  );
  room.waitUntil(moved.catch((e) => logError("queue moved", e)));
}

/** `entered` came (back) into the queue in an old place: the customers behind it moved down one. */
export function enteredQueue(room: Room, entered: ConversationRecord) {
  leftQueue(room, entered);
}

/** Just queued: the group may route it at once (oldest first, so maybe another one goes before it). */
export function routeNew(room: Room) {
  const record = room.record;
  if (record?.status === "queued" && record.groupId) drain(room, record.workspaceId, [record.groupId]);
}

// Routing runs after the task that freed or queued someone, outside this room's queue:
// it calls rooms, this one among them.
export function drain(room: Room, workspaceId: string, groupIds: string[]) {
  room.waitUntil(drainQueues(room.env, room.db, workspaceId, groupIds).catch((e) => logError("routing", e)));
}

/** An operator has room for another conversation: their groups' queues may hand them one. */
export function drainFor(room: Room, workspaceId: string, operatorId: string) {
  room.waitUntil(drainForOperator(room.env, room.db, workspaceId, operatorId).catch((e) => logError("routing", e)));
}
