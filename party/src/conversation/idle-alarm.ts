import { loadBotInput } from "../../../worker/src/bot/bot-turn";
import { say as sayText } from "../../../worker/src/bot/engine";
import { say } from "./bot-voice";
import { closeBy } from "./close";
import { SYSTEM, type Room } from "./room";

/**
 * The room's alarm rang (B4): the customer's silence after the other side
 * spoke is due a reminder, or the close.
 */
export async function ringIdleAlarm(room: Room) {
  const record = await room.reload();
  // A customer waiting in the queue is waiting on us: that silence does not count.
  const step = await room.idle.due(!!record && record.status !== "closed" && record.status !== "queued");
  if (!step || !record) return;
  const bot = await loadBotInput(room.db, record, "");
  if (step.kind === "remind") {
    if (bot) await say(room, sayText(bot.input, "reminder", { minutes: String(step.minutesLeft) }), undefined);
    return room.idle.reminded();
  }
  if (bot) await say(room, sayText(bot.input, "idleClosed"), undefined);
  // The close disarms the timer once it has committed.
  await closeBy(room, room.record!, SYSTEM(record.workspaceId));
}
