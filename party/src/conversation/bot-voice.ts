import { newId, type Message } from "@tandem/protocol";
import { appendMessage } from "../../../worker/src/conversations/append-message";
import { loadBotInput } from "../../../worker/src/bot/bot-turn";
import type { BotContext } from "../../../worker/src/bot/bot-context";
import { say as sayText, type Button } from "../../../worker/src/bot/engine";
import { relayActivity } from "./inbox-notices";
import type { Room } from "./room";

/** A bot message: stored, then to everyone here (and the Inbox, once a human has the conversation). */
export async function say(room: Room, body: string, buttons: Button[] | undefined, clientMsgId = newId(), context?: BotContext) {
  const record = room.record!;
  const { message, duplicate } = await appendMessage(room.db, {
    conversationId: record.id,
    workspaceId: record.workspaceId,
    clientMsgId,
    authorKind: "bot",
    authorId: null,
    body,
    buttons: buttons?.length ? buttons : undefined,
    marks: room.marks.take(),
  });
  said(room, message, duplicate, context);
  return { message, duplicate };
}

/** A bot message committed: to everyone here (and the Inbox, once a human has the conversation). */
export function said(room: Room, message: Message, duplicate: boolean, context?: BotContext) {
  if (!duplicate || message.seq > room.broadcastSeq!) {
    room.broadcastMessage(message);
    relayActivity(room, room.record!, message);
  }
  if (context) armIdle(room, context);
}

/** An operator joined: the bot greets the customer in their name (B4), where the site has a bot. */
export async function greet(room: Room, name: string) {
  const record = room.record!;
  const bot = await loadBotInput(room.db, record, "");
  if (!bot) return;
  await say(room, sayText(bot.input, "greeting", { operator: name }), undefined, newId(), bot.context);
}

/** The other side spoke: the customer's silence counts from now, where the site closes after silence (B4). */
export function armIdle(room: Room, context: BotContext, since?: number) {
  if (context.idle) room.idle.arm(context.idle, since);
}
