import { reopenRefusal } from "@tandem/protocol";
import type { Actor, OperatorActor } from "../../../worker/src/auth/actor";
import type { ConversationRecord } from "../../../worker/src/conversations/load-conversation";
import { reopenByCustomer, reopenByOperator } from "../../../worker/src/conversations/transitions";
import { routeNew } from "./queue-hooks";
import type { Room, RoomResult } from "./room";
import { appendSystem } from "./system-messages";

/** closed → assigned to the operator who reopens it (D8). */
export async function reopenBy(room: Room, record: ConversationRecord, operator: OperatorActor): Promise<RoomResult> {
  const refusal = record.status === "closed" && reopenRefusal(operator, record);
  if (refusal) return { ok: false, status: 403, code: "forbidden", message: refusal };
  if (!(await reopenByOperator(room.db, record, operator))) {
    return { ok: false, status: 409, code: "conflict", message: `conversation is ${(await room.reload())?.status}, not closed` };
  }
  const state = await room.changed();
  await appendSystem(room, "reopened", `${operator.name} reopened the conversation`, operator.name);
  return { ok: true, conversation: state };
}

/**
 * The customer writes again soon after a close (within the site's
 * window): the same conversation opens again and waits for a human (D8).
 * Later than that, the message is refused and the widget starts anew.
 */
export async function reopenForCustomer(room: Room, cached: ConversationRecord, actor: Actor): Promise<boolean> {
  if (actor.kind !== "visitor") return false;
  // The site's window as it stands now: it may have changed in the settings since this room read it.
  const record = (await room.reload()) ?? cached;
  if (record.closedAt === null || Date.now() - record.closedAt >= record.reopenMs) return false;
  if (!(await reopenByCustomer(room.db, record, actor, record.reopenMs))) return false;
  await room.changed();
  routeNew(room);
  return true;
}
