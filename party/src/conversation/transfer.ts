import { hasRole } from "@tandem/protocol";
import type { OperatorActor } from "../../../worker/src/auth/actor";
import type { ConversationRecord } from "../../../worker/src/conversations/load-conversation";
import { transferToGroup, transferToOperator } from "../../../worker/src/conversations/transitions";
import { readOperatorLoads } from "../../../worker/src/routing/overview";
import type { Db } from "../../../worker/src/db/client";
import { drain, drainFor, enteredQueue, leftQueue } from "./queue-hooks";
import type { Room, RoomResult, TransferTarget } from "./room";
import { appendSystem } from "./system-messages";

/**
 * Hands the conversation to another operator or group (D7), by its
 * assignee or a supervisor. Same conversation, same room: the customer's
 * chat goes on; the note is for operators only.
 */
export async function transferBy(room: Room, record: ConversationRecord, actor: OperatorActor, target: TransferTarget, note: string | null): Promise<RoomResult> {
  if (record.status === "closed" || record.status === "bot") {
    const message = record.status === "closed" ? "conversation is closed" : "conversation is still with the bot";
    return { ok: false, status: 409, code: "conflict", message };
  }
  if (record.assignee?.id !== actor.id && !hasRole(actor, "supervisor")) {
    return { ok: false, status: 403, code: "forbidden", message: "only its operator or a supervisor may transfer it" };
  }
  const overLimit = hasRole(actor, "supervisor");
  const transfer = { actor, fromId: record.assignee?.id ?? null, note, reason: `transferred by ${actor.name}`, overLimit };
  const done =
    target.kind === "operator"
      ? await transferToOperator(room.db, record, transfer, target.id)
      : await transferToGroup(room.db, record, { ...transfer, reason: `transferred to ${target.name} by ${actor.name}` }, target.id);
  if (!done) {
    const message = target.kind === "operator" ? await whyNotTo(room.db, record, target, overLimit) : "conversation changed; try again";
    return { ok: false, status: 409, code: "conflict", message };
  }
  if (record.status === "queued") leftQueue(room, record);
  const state = await room.changed();
  if (state.status === "queued") enteredQueue(room, room.record!);
  if (target.kind === "operator") await appendSystem(room, "joined", `${target.name} joined the conversation`, target.name);
  else drain(room, record.workspaceId, [target.id]);
  if (transfer.fromId) drainFor(room, record.workspaceId, transfer.fromId);
  // The note shows on the card: every operator here reads it again.
  if (note) room.broadcast({ type: "card" }, undefined, "operator");
  return { ok: true, conversation: state };
}

/** Why a transfer to this operator did not happen, as a sentence. */
async function whyNotTo(db: Db, record: ConversationRecord, target: TransferTarget, overLimit: boolean): Promise<string> {
  if (record.assignee?.id === target.id) return `it is already with ${target.name}`;
  const [load] = await readOperatorLoads(db, record.workspaceId, target.id);
  if (load?.presence === "offline") return `${target.name} is offline`;
  if (load && !overLimit && load.load >= load.maxChats) return `${target.name} already has ${load.load} of ${load.maxChats} chats`;
  return "conversation changed; try again";
}
