import type { Message } from "@tandem/protocol";
import type { Actor } from "../../../worker/src/auth/actor";
import { appendMessage } from "../../../worker/src/conversations/append-message";
import type { ConversationRecord } from "../../../worker/src/conversations/load-conversation";
import { claimConversation } from "../../../worker/src/conversations/transitions";
import { loadBotContext } from "../../../worker/src/bot/bot-context";
import { sentimentOf } from "../../../worker/src/bot/matcher";
import { logError } from "../../../worker/src/log-error";
import { armIdle } from "./bot-voice";
import { botTurn } from "./bot-turns";
import { publish, relayActivity } from "./inbox-notices";
import { leftQueue } from "./queue-hooks";
import type { Room } from "./room";
import { appendSystem } from "./system-messages";

/** The connection a message came on: acked once it commits, and not sent it again. */
export type Sender = { id: string; ack: (message: Message) => void };

/**
 * A customer's or an operator's message, from any way in. Insert, then ack,
 * then broadcast: nobody hears of a message before it is committed. Then
 * what it causes: an operator's answer takes the conversation, a customer's
 * gets the bot's turn, and the silence timer moves.
 */
export async function storeMessage(room: Room, current: ConversationRecord, actor: Actor, clientMsgId: string, body: string, sender?: Sender) {
  let record = current;
  if (actor.kind === "operator" && (record.status === "queued" || record.status === "bot")) {
    // Answering a waiting customer is taking the conversation; so is stepping in for the bot.
    const reason = record.status === "queued" ? "answered from the queue" : "took over from the bot";
    if (await claimConversation(room.db, record, actor, reason)) {
      if (record.status === "queued") leftQueue(room, record);
      await room.changed();
      await appendSystem(room, "joined", `${actor.name} joined the conversation`, actor.name);
      record = room.record!;
    }
  }
  const stored = await appendMessage(room.db, {
    conversationId: record.id,
    workspaceId: record.workspaceId,
    clientMsgId,
    authorKind: actor.kind,
    authorId: actor.id,
    authorName: actor.kind === "operator" ? actor.name : null,
    body,
    // What the message says of the customer's mood commits with it (A5).
    sentiment: actor.kind === "visitor" ? sentimentOf(body) : undefined,
    marks: room.marks.take(),
  });
  const { message, duplicate, firstReply } = stored;
  if (sender) sender.ack(message);
  if (duplicate && message.seq <= room.broadcastSeq!) return stored;

  // New, or committed earlier without the room hearing back: everyone else learns of it now.
  room.broadcastMessage(message, sender?.id);
  relayActivity(room, record, message);
  if (firstReply || duplicate) publish(room, record.workspaceId);
  if (actor.kind === "visitor") {
    await room.idle.disarm();
    // The bot answers after this message's task, in the same queue: nothing overtakes either.
    if (record.status === "bot") room.waitUntil(room.task(() => botTurn(room, message)).catch((e) => logError("bot", e)));
  } else if (actor.kind === "operator") {
    // The operator spoke: the customer's silence counts from now (outside this queue: it is only a timer).
    const since = room.idle.generation;
    const armed = loadBotContext(room.db, record.id).then((context) => context?.configured && armIdle(room, context, since));
    room.waitUntil(armed.catch((e) => logError("idle timer", e)));
  }
  return stored;
}
