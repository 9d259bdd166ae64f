import type { Message } from "@tandem/protocol";
import type { Actor } from "../../../worker/src/auth/actor";
import type { ConversationRecord } from "../../../worker/src/conversations/load-conversation";
import { escalateStep } from "../../../worker/src/conversations/transitions";
import { commit, type Step } from "../../../worker/src/db/commit";
import { kickEmbedder } from "../../../worker/src/rooms";
import type { BotContext } from "../../../worker/src/bot/bot-context";
import { offlineRequestStep } from "../../../worker/src/bot/bot-store";
import { commitTurn } from "../../../worker/src/bot/commit-turn";
import { loadBotInput, takeTurn } from "../../../worker/src/bot/bot-turn";
import { outboundPolicy } from "../../../worker/src/http/outbound-url";
import { escalate as botEscalate, type Action } from "../../../worker/src/bot/engine";
import type { Lang } from "../../../worker/src/bot/matcher";
import { said } from "./bot-voice";
import { routeNew } from "./queue-hooks";
import { SYSTEM, type Room } from "./room";

// The bot (B1–B4, B7)

/** A customer message while the bot has the conversation: its answer, or the hand-over with its reason. */
export async function botTurn(room: Room, message: Message) {
  const record = room.record ?? (await room.reload());
  if (!record || record.status !== "bot") return;
  const bot = await loadBotInput(room.db, record, message.body);
  if (!bot) return escalateBy(room, record, SYSTEM(record.workspaceId), "no bot");
  if (!bot.context.active) {
    // Outside the bot's own hours it says nothing; outside the operators' too, the widget has asked for a contact (W12).
    const open = bot.context.operatorsOpen;
    const offline = open ? [] : [offlineRequestStep(room.db, record.id)];
    return escalateBy(room, record, SYSTEM(record.workspaceId), open ? "bot off hours" : "bot and operators off hours; offline request", offline);
  }
  const env = room.env;
  const turn = await takeTurn(bot, outboundPolicy(env), { db: room.db, ai: env.AI, kick: () => void kickEmbedder(env, record.workspaceId, "look") });
  await act(room, record, bot.context, turn, { text: message.body, seq: message.seq, lang: bot.input.lang });
}

/** The customer asks for a human: bot → queued. Anywhere else they already have one coming, or had. */
export async function askForPerson(room: Room, record: ConversationRecord, actor: Actor) {
  if (record.status !== "bot") return;
  const bot = await loadBotInput(room.db, record, "");
  if (!bot) return escalateBy(room, record, actor, "customer asked");
  // Through the bot: "an operator is on the way", or outside hours a contact first (B3, B4).
  await act(room, record, bot.context, botEscalate(bot.input, bot.input.state, "asked for a person", null), null);
}

/** The bot's turn, in one write request (see commitTurn); then its words to everyone, and the hand-over. */
async function act(room: Room, record: ConversationRecord, context: BotContext, turn: Action, question: { text: string; seq: number; lang: Lang } | null) {
  const { message, duplicate, escalated: handedOver } = await commitTurn(room.db, record, turn, question, room.marks.take());
  said(room, message, duplicate, turn.kind === "escalate" ? undefined : context);
  if (handedOver) await escalated(room);
}

/** bot → queued, with whatever else must commit with it. */
async function escalateBy(room: Room, record: ConversationRecord, actor: Actor, reason: string, also: Step<unknown>[] = []) {
  const [happened] = await commit(room.db, escalateStep(room.db, record, actor, reason), ...also);
  if (happened) await escalated(room);
}

async function escalated(room: Room) {
  // Waiting for a person is not the customer's silence: no reminder, no close (B4).
  await room.idle.disarm();
  await room.changed();
  routeNew(room);
}
