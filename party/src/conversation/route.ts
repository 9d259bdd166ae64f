import { assignByRouting, requeueConversation } from "../../../worker/src/conversations/transitions";
import { groupMode, pickOperator } from "../../../worker/src/routing/pick-operator";
import { enteredQueue, leftQueue } from "./queue-hooks";
import { SYSTEM, type Room } from "./room";
import { appendSystem } from "./system-messages";

/**
 * Automatic routing (D3): if this conversation waits in a group that
 * routes by itself, hand it to the operator the group's mode picks.
 */
export async function routeWaiting(room: Room): Promise<{ assigned: string | null }> {
  const record = await room.reload();
  if (!record || record.status !== "queued" || !record.groupId) return { assigned: null };
  const mode = await groupMode(room.db, record.workspaceId, record.groupId);
  const pick = mode && (await pickOperator(room.db, record.workspaceId, record.groupId, mode));
  if (!pick || !(await assignByRouting(room.db, record, pick.operatorId, pick.reason))) return { assigned: null };
  leftQueue(room, record);
  const state = await room.changed();
  const name = state.assignee?.name ?? "An operator";
  await appendSystem(room, "joined", `${name} joined the conversation`, name);
  return { assigned: pick.operatorId };
}

/** Its operator went offline: back to the queue, in its old place (D3). False if it was not theirs any more. */
export async function requeueFor(room: Room, operatorId: string, reason: string): Promise<boolean> {
  const record = await room.reload();
  if (!record || record.status !== "assigned" || record.assignee?.id !== operatorId) return false;
  const why = `${record.assignee.name} went offline`;
  if (!(await requeueConversation(room.db, record, SYSTEM(record.workspaceId), operatorId, reason, why))) return false;
  await room.changed();
  enteredQueue(room, room.record!);
  return true;
}
