import {
  BotMessage,
  ClientFrame,
  closeRefusal,
  CloseCode,
  hasRole,
  MAX_CLIENT_FRAME,
  newId,
  parseFrame,
  reopenRefusal,
  replyRefusal,
  type ConversationState,
  type Message,
  type ServerFrame,
} from "@tandem/protocol";
import * as v from "valibot";
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { ACTOR_HEADER, decodeActor, type Actor, type OperatorActor } from "../../worker/src/auth/actor";
import { appendMessage, storeMarks, type NewMessage, type PendingMarks } from "../../worker/src/conversations/append-message";
import { loadConversation, publicState, type ConversationRecord } from "../../worker/src/conversations/load-conversation";
import { findByClientMsgId, readNewestAfter } from "../../worker/src/conversations/messages";
import { readCurrentPage, recordPageView } from "../../worker/src/conversations/page-views";
import { queuedBehind } from "../../worker/src/conversations/queue";
import {
  assignByRouting,
  claimConversation,
  closeConversation,
  escalateStep,
  reopenByCustomer,
  reopenByOperator,
  requeueConversation,
  transferToGroup,
  transferToOperator,
} from "../../worker/src/conversations/transitions";
import { drainForOperator, drainQueues } from "../../worker/src/routing/drain";
import { groupMode, pickOperator } from "../../worker/src/routing/pick-operator";
import { readOperatorLoads } from "../../worker/src/routing/overview";
import { createDb, type Db } from "../../worker/src/db/client";
import { commit, type Step } from "../../worker/src/db/commit";
import type { Env } from "../../worker/src/env";
import { conversationRoom, inboxRoom, kickEmbedder } from "../../worker/src/rooms";
import { loadBotContext, type BotContext } from "../../worker/src/bot/bot-context";
import { offlineRequestStep } from "../../worker/src/bot/bot-store";
import { commitTurn } from "../../worker/src/bot/commit-turn";
import { loadBotInput, takeTurn } from "../../worker/src/bot/bot-turn";
import { outboundPolicy } from "../../worker/src/http/outbound-url";
import { escalate as botEscalate, say, type Action, type Button } from "../../worker/src/bot/engine";
import { sentimentOf, type Lang } from "../../worker/src/bot/matcher";
import { completeClose, createSerialQueue, sendFrame } from "./frames";
import { createIdleTimer } from "./idle-timer";
import { createPendingMarks } from "./pending-marks";
import { createSenderLimits } from "./sender-limits";
import { logError } from "../../worker/src/log-error";

type ConnectionState = {
  actor: Actor;
  live: boolean;
  /** A frame of this connection failed to store; its later frames are dropped until it reconnects. */
  broken?: boolean;
  /** When this connection's last page frame was taken (they are rate-limited). */
  pageAt?: number;
  /**
   * A send put off for now (rate limit, busy room). Later sends on this
   * connection are put off too until that one comes again, so none can be
   * stored before it: the client resends its outbox in order.
   */
  held?: { clientMsgId: string; code: "rate_limited" | "busy"; until: number };
  /** Until when a refused frame kind goes without another error frame: said once per wait, not per frame. */
  quiet?: { typing?: number; page?: number };
};

type Refusal = { ok: false; status: 400 | 403 | 404 | 409; code: string; message: string };

/** What the Worker's API gets back from a room call. */
export type RoomResult<T = { conversation: ConversationState }> = ({ ok: true } & T) | Refusal;

/** A resume replays at most this many messages, the newest; older ones are read over HTTP on scroll. */
const HISTORY_PAGE = 100;
/**
 * Tasks a room lets wait before it puts off new sends and resumes with
 * "busy": when libSQL is slow, a room's work must not pile up without end.
 * A conversation's own traffic keeps a handful waiting at most.
 */
const MAX_WAITING = 32;
/** How long a client waits before trying a busy room again: a second, spread over another, so they do not all come back at once. */
const busyWait = () => 1000 + Math.floor(Math.random() * 1000);
/**
 * A connection's page frames closer together than this are not stored one by
 * one (a looping SPA must not fill page_views): of those that come too soon,
 * only the latest is taken, when the interval is over.
 */
const PAGE_INTERVAL_MS = 1000;

const SYSTEM = (workspaceId: string): Actor => ({ kind: "system", id: null, workspaceId });


/** Where a transfer sends a conversation (checked by the API to be in the workspace). */
export type TransferTarget = { kind: "operator" | "group"; id: string; name: string };

/**
 * One conversation's room, and the only writer of its message sequence.
 *
 * Appends, replays and state changes run one at a time (see `serial`): a
 * Durable Object keeps taking events while it awaits libSQL, and without the
 * queue two sends could commit in one order and broadcast in the other.
 */
export class Conversation extends Server<Env> {
  static options = { hibernate: true };

  readonly #serial = createSerialQueue();
  #limits: ReturnType<typeof createSenderLimits> | undefined;
  #database: Db | undefined;
  #record: ConversationRecord | undefined;
  /**
   * The highest seq this instance has broadcast. A duplicate above it is a
   * message whose commit the room never heard back about: its broadcast is
   * still owed. Set once per instance, from the database, on first load.
   */
  #broadcastSeq: number | undefined;
  /** Per connection, the latest page frame that came too soon, waiting for its turn. */
  readonly #laterPages = new Map<string, { url: string; title: string | null }>();

  get #db(): Db {
    return (this.#database ??= createDb(this.env));
  }

  get #limit() {
    return (this.#limits ??= createSenderLimits(this.env.RATE_LIMITS, HISTORY_PAGE));
  }

  onConnect(connection: Connection<ConnectionState>, ctx: ConnectionContext) {
    // The Worker authenticated this request and named the actor; nothing else can reach a room.
    const actor = decodeActor(ctx.request.headers.get(ACTOR_HEADER));
    if (!actor || actor.kind === "system") {
      connection.close(CloseCode.unauthenticated, "not signed in");
      return;
    }
    connection.setState({ actor, live: false });
    // The Inbox keeps, per session, the rooms it has open, to end them with the session.
    if (actor.kind === "operator") {
      const registered = inboxRoom(this.env, actor.workspaceId).sessionOpened(actor.sessionId, this.name);
      this.ctx.waitUntil(
        registered.then((open) => open || connection.close(CloseCode.unauthenticated, "session ended")).catch((e) => logError("session open", e)),
      );
    }
  }

  onClose(connection: Connection<ConnectionState>, code: number) {
    completeClose(connection, code);
    const actor = connection.state?.actor;
    if (actor?.kind !== "operator") return;
    const others = [...this.getConnections<ConnectionState>()].some((c) => c.id !== connection.id && c.state?.actor.kind === "operator" && c.state.actor.sessionId === actor.sessionId);
    if (!others) this.ctx.waitUntil(inboxRoom(this.env, actor.workspaceId).sessionClosed(actor.sessionId, this.name).catch((e) => logError("session close", e)));
  }

  /** Tags or notes changed (the workbench API): every operator here reads the card again. */
  cardChanged(): void {
    this.#broadcast({ type: "card" }, undefined, "operator");
  }

  /**
   * The session ended (see the Inbox's endSession): its sockets here go at
   * once. With `renewed`, its operator's role changed: they connect again.
   */
  endSession(sessionId: string, code: number = CloseCode.unauthenticated): void {
    for (const connection of this.getConnections<ConnectionState>()) {
      const actor = connection.state?.actor;
      if (actor?.kind === "operator" && actor.sessionId === sessionId) connection.close(code, code === CloseCode.renewed ? "role changed" : "session ended");
    }
  }

  /** A visitor's tokens were revoked (signed out, or another person identified on that browser): its sockets here go at once. */
  endVisitor(visitorId: string): void {
    for (const connection of this.getConnections<ConnectionState>()) {
      const actor = connection.state?.actor;
      if (actor?.kind === "visitor" && actor.id === visitorId) connection.close(CloseCode.unauthenticated, "signed out");
    }
  }

  onMessage(connection: Connection<ConnectionState>, raw: WSMessage) {
    const state = connection.state;
    if (!state) return;
    const parsed = parseFrame(ClientFrame, raw, MAX_CLIENT_FRAME);
    if (!parsed.ok) {
      // A refused send says which: the client shows that message as not sent, and does not send it again.
      const { message, clientMsgId } = parsed;
      return this.#send(connection, { type: "error", code: "bad_frame", message, ...(clientMsgId ? { clientMsgId } : {}) });
    }
    const frame = parsed.frame;
    switch (frame.type) {
      case "resume": {
        const wait = this.#limit.resume(state.actor);
        if (wait) return this.#putOff(connection, { frame: "resume" }, "rate_limited", wait);
        if (this.#busy) return this.#putOff(connection, { frame: "resume" }, "busy", busyWait());
        return this.#run(connection, undefined, () => this.#resume(connection, state.actor, frame.after));
      }
      case "send":
        return this.#takeSend(connection, frame.clientMsgId, frame.body);
      case "typing": {
        if (!this.#allowed(connection, "typing", this.#limit.typing(state.actor, connection.id))) return;
        const typing: ServerFrame = {
          type: "typing",
          authorKind: state.actor.kind,
          name: state.actor.kind === "operator" ? state.actor.name : null,
          typing: frame.typing,
        };
        // Only someone who may write here says they are writing. Said at once when this room
        // knows its conversation; otherwise (just woken) after reading it, in order.
        if (this.#record) return this.#replyRefusal(state.actor, this.#record) ? undefined : this.#broadcast(typing, connection.id);
        return this.#quietly(connection, async () => {
          const record = await this.#authorized(state.actor);
          if (!("ok" in record) && !this.#replyRefusal(state.actor, record)) this.#broadcast(typing, connection.id);
        });
      }
      case "read":
        // A read mark is sent again with the next one: when the room is busy, it can wait.
        if (this.#busy) return;
        return this.#quietly(connection, () => this.#read(state.actor, frame.seq));
      case "page":
        if (state.actor.kind !== "visitor") return this.#customerOnly(connection, "page");
        return this.#page(connection, frame.url, frame.title || null);
      case "escalate":
        if (state.actor.kind !== "visitor") return this.#customerOnly(connection, "escalate");
        return this.#quietly(connection, () => this.#escalate(state.actor));
    }
  }

  // Called by the Worker's API (Durable Object RPC), after it checked who asks.

  claim(operator: OperatorActor): Promise<RoomResult> {
    return this.#task(async () => {
      const record = await this.#authorized(operator);
      if ("ok" in record) return record;
      const reason = record.status === "bot" ? "took over from the bot" : "picked by hand";
      if (!(await claimConversation(this.#db, record, operator, reason))) {
        const now = await this.#reload();
        const message = now?.assignee ? `already taken by ${now.assignee.name}` : `conversation is ${now?.status}`;
        return { ok: false, status: 409, code: "conflict", message };
      }
      if (record.status === "queued") this.#leftQueue(record);
      const state = await this.#changed();
      await this.#appendSystem("joined", `${operator.name} joined the conversation`, operator.name);
      return { ok: true, conversation: state };
    });
  }

  close(actor: Actor): Promise<RoomResult> {
    return this.#task(async () => {
      const record = await this.#authorized(actor);
      if ("ok" in record) return record;
      // Checked here, in this room's order: the assignee cannot change between the check and the close.
      const refusal = actor.kind === "operator" && record.status !== "closed" && closeRefusal(actor, record);
      if (refusal) return { ok: false, status: 403, code: "forbidden", message: refusal };
      return this.#closeBy(record, actor);
    });
  }

  async #closeBy(record: ConversationRecord, actor: Actor): Promise<RoomResult> {
    {
      if (!(await closeConversation(this.#db, record, actor))) {
        return { ok: false, status: 409, code: "conflict", message: "conversation is already closed" };
      }
      // This room is the only writer of its status, so the cached one is what the close replaced.
      if (record.status === "queued") this.#leftQueue(record);
      // Its operator has room for the next one now.
      if (record.status === "assigned" && record.assignee) this.#drainFor(record.workspaceId, record.assignee.id);
      // The state first: it must reach everyone even if the notice below fails.
      const state = await this.#changed();
      await this.#appendSystem("closed", "The conversation was closed", null);
      await this.#idle.disarm();
      return { ok: true, conversation: state };
    }
  }

  /**
   * Automatic routing (D3): if this conversation waits in a group that
   * routes by itself, hand it to the operator the group's mode picks.
   */
  route(): Promise<{ assigned: string | null }> {
    return this.#task(async () => {
      const record = await this.#reload();
      if (!record || record.status !== "queued" || !record.groupId) return { assigned: null };
      const mode = await groupMode(this.#db, record.workspaceId, record.groupId);
      const pick = mode && (await pickOperator(this.#db, record.workspaceId, record.groupId, mode));
      if (!pick || !(await assignByRouting(this.#db, record, pick.operatorId, pick.reason))) return { assigned: null };
      this.#leftQueue(record);
      const state = await this.#changed();
      const name = state.assignee?.name ?? "An operator";
      await this.#appendSystem("joined", `${name} joined the conversation`, name);
      return { assigned: pick.operatorId };
    });
  }

  /** Its operator went offline: back to the queue, in its old place (D3). False if it was not theirs any more. */
  returnToQueue(operatorId: string, reason: string): Promise<boolean> {
    return this.#task(async () => {
      const record = await this.#reload();
      if (!record || record.status !== "assigned" || record.assignee?.id !== operatorId) return false;
      const why = `${record.assignee.name} went offline`;
      if (!(await requeueConversation(this.#db, record, SYSTEM(record.workspaceId), operatorId, reason, why))) return false;
      await this.#changed();
      this.#enteredQueue(this.#record!);
      return true;
    });
  }

  /**
   * Hands the conversation to another operator or group (D7), by its
   * assignee or a supervisor. Same conversation, same room: the customer's
   * chat goes on; the note is for operators only.
   */
  transfer(actor: OperatorActor, target: TransferTarget, note: string | null): Promise<RoomResult> {
    return this.#task(async () => {
      const record = await this.#authorized(actor);
      if ("ok" in record) return record;
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
          ? await transferToOperator(this.#db, record, transfer, target.id)
          : await transferToGroup(this.#db, record, { ...transfer, reason: `transferred to ${target.name} by ${actor.name}` }, target.id);
      if (!done) {
        const message = target.kind === "operator" ? await this.#whyNotTo(record, target, overLimit) : "conversation changed; try again";
        return { ok: false, status: 409, code: "conflict", message };
      }
      if (record.status === "queued") this.#leftQueue(record);
      const state = await this.#changed();
      if (state.status === "queued") this.#enteredQueue(this.#record!);
      if (target.kind === "operator") await this.#appendSystem("joined", `${target.name} joined the conversation`, target.name);
      else this.#drain(record.workspaceId, [target.id]);
      if (transfer.fromId) this.#drainFor(record.workspaceId, transfer.fromId);
      if (note) this.cardChanged();
      return { ok: true, conversation: state };
    });
  }

  /** Why a transfer to this operator did not happen, as a sentence. */
  async #whyNotTo(record: ConversationRecord, target: TransferTarget, overLimit: boolean): Promise<string> {
    if (record.assignee?.id === target.id) return `it is already with ${target.name}`;
    const [load] = await readOperatorLoads(this.#db, record.workspaceId, target.id);
    if (load?.presence === "offline") return `${target.name} is offline`;
    if (load && !overLimit && load.load >= load.maxChats) return `${target.name} already has ${load.load} of ${load.maxChats} chats`;
    return "conversation changed; try again";
  }

  /** closed → assigned to the operator who reopens it (D8). */
  reopen(operator: OperatorActor): Promise<RoomResult> {
    return this.#task(async () => {
      const record = await this.#authorized(operator);
      if ("ok" in record) return record;
      const refusal = record.status === "closed" && reopenRefusal(operator, record);
      if (refusal) return { ok: false, status: 403, code: "forbidden", message: refusal };
      if (!(await reopenByOperator(this.#db, record, operator))) {
        return { ok: false, status: 409, code: "conflict", message: `conversation is ${(await this.#reload())?.status}, not closed` };
      }
      const state = await this.#changed();
      await this.#appendSystem("reopened", `${operator.name} reopened the conversation`, operator.name);
      return { ok: true, conversation: state };
    });
  }

  /** A bot message, with quick replies; the bot will call this, tests do now. */
  postBot(workspaceId: string, input: BotMessage): Promise<RoomResult<{ message: Message; duplicate: boolean }>> {
    const parsed = v.safeParse(BotMessage, input);
    if (!parsed.success) {
      return Promise.resolve({ ok: false, status: 400, code: "bad_request", message: parsed.issues[0].message });
    }
    const { clientMsgId = newId(), body, buttons } = parsed.output;
    return this.#task(async () => {
      const record = await this.#authorized(SYSTEM(workspaceId));
      if ("ok" in record) return record;
      if (record.status === "closed") {
        return { ok: false, status: 409, code: "closed", message: "conversation is closed" };
      }
      return { ok: true, ...(await this.#say(body, buttons, clientMsgId)) };
    });
  }

  /**
   * Someone ahead of this conversation left the queue, so a waiting customer
   * moved up: tell whoever is connected here the new place.
   */
  queueMoved(): Promise<void> {
    return this.#task(async () => {
      if (![...this.getConnections<ConnectionState>()].some((c) => c.state?.live)) {
        // Nobody to tell; whoever resumes next reads the place afresh.
        this.#record = undefined;
        return;
      }
      // Always tell: another task may have read the new place already without
      // telling anyone, so comparing with the cached record could stay silent.
      const record = await this.#reload();
      if (record) this.#broadcast({ type: "conversation", conversation: publicState(record) });
    });
  }

  post(actor: Actor, clientMsgId: string, body: string): Promise<RoomResult<{ message: Message; duplicate: boolean }>> {
    return this.#task(async () => {
      const record = await this.#authorized(actor);
      if ("ok" in record) return record;
      if (record.status === "closed") {
        return { ok: false, status: 409, code: "closed", message: "conversation is closed" };
      }
      const refusal = this.#replyRefusal(actor, record);
      if (refusal) {
        // A retry of what was stored before the conversation moved on gets its original message back.
        const earlier = await findByClientMsgId(this.#db, record.id, clientMsgId);
        if (earlier) return { ok: true, message: earlier, duplicate: true };
        return { ok: false, status: 403, code: "forbidden", message: refusal };
      }
      const { message, duplicate } = await this.#store(record, actor, clientMsgId, body);
      return { ok: true, message, duplicate };
    });
  }

  // Frames

  async #resume(connection: Connection<ConnectionState>, actor: Actor, after: number) {
    const record = await this.#authorized(actor);
    if ("ok" in record) {
      const forbidden = record.code === "forbidden";
      this.#send(connection, { type: "error", code: forbidden ? "forbidden" : "not_found", message: record.message });
      connection.close(forbidden ? CloseCode.forbidden : CloseCode.notFound, record.message);
      return;
    }
    const page = await readNewestAfter(this.#db, record.id, after, HISTORY_PAGE);
    this.#limit.replayed(actor, page.messages.length);
    this.#send(connection, { type: "history", messages: page.messages, older: page.older });
    // The marks as they stand; live `read` frames follow from here. Zero (nothing read) goes unsaid.
    if (record.visitorReadSeq) this.#send(connection, { type: "read", by: "visitor", seq: record.visitorReadSeq });
    if (record.operatorReadSeq) this.#send(connection, { type: "read", by: "operator", seq: record.operatorReadSeq });
    if (actor.kind === "operator" && record.visitorId) {
      const page = await readCurrentPage(this.#db, record.id, record.visitorId);
      if (page) this.#send(connection, { type: "page", ...page });
    }
    // From here on this connection gets every new message as it commits, and nothing twice.
    connection.setState({ ...connection.state!, live: true });
    this.#send(connection, { type: "conversation", conversation: publicState(record) });
  }

  /** Raises the sender's side's read mark (never past the last message) and tells everyone. */
  async #read(actor: Actor, seq: number) {
    const record = await this.#authorized(actor);
    // An operator only looking at another's conversation has not read it for them.
    if ("ok" in record || actor.kind === "system" || this.#replyRefusal(actor, record)) return;
    const by = actor.kind;
    const field = by === "visitor" ? "visitorReadSeq" : "operatorReadSeq";
    // The room is the only writer of the marks: its copy says whether this one is news, and is what
    // everyone is told at once. The store hears of it with the room's next write, or shortly.
    const mark = Math.min(seq, record.lastSeq);
    if (mark <= record[field]) return;
    record[field] = mark;
    this.#broadcast({ type: "read", by, seq: mark });
    this.#marks.raise(by, mark);
  }

  /** The customer asks for a human: bot → queued. Anywhere else they already have one coming, or had. */
  async #escalate(actor: Actor) {
    const record = await this.#authorized(actor);
    if ("ok" in record || record.status !== "bot") return;
    const bot = await this.#botInput(record, "");
    if (!bot) return this.#escalateBy(record, actor, "customer asked");
    // Through the bot: "an operator is on the way", or outside hours a contact first (B3, B4).
    await this.#act(record, bot.context, botEscalate(bot.input, bot.input.state, "asked for a person", null), null);
  }

  // The bot (B1–B4, B7)

  #botInput(record: ConversationRecord, text: string) {
    return loadBotInput(this.#db, record, text);
  }

  /** A customer message while the bot has the conversation: its answer, or the hand-over with its reason. */
  async #botTurn(message: Message) {
    const record = this.#record ?? (await this.#reload());
    if (!record || record.status !== "bot") return;
    const bot = await this.#botInput(record, message.body);
    if (!bot) return this.#escalateBy(record, SYSTEM(record.workspaceId), "no bot");
    if (!bot.context.active) {
      // Outside the bot's own hours it says nothing; outside the operators' too, the widget has asked for a contact (W12).
      const open = bot.context.operatorsOpen;
      const offline = open ? [] : [offlineRequestStep(this.#db, record.id)];
      return this.#escalateBy(record, SYSTEM(record.workspaceId), open ? "bot off hours" : "bot and operators off hours; offline request", offline);
    }
    const turn = await takeTurn(bot, outboundPolicy(this.env), { db: this.#db, ai: this.env.AI, kick: () => void kickEmbedder(this.env, record.workspaceId, "look") });
    await this.#act(record, bot.context, turn, { text: message.body, seq: message.seq, lang: bot.input.lang });
  }

  /** The bot's turn, in one write request (see commitTurn); then its words to everyone, and the hand-over. */
  async #act(record: ConversationRecord, context: BotContext, turn: Action, question: { text: string; seq: number; lang: Lang } | null) {
    const { message, duplicate, escalated } = await commitTurn(this.#db, record, turn, question, this.#marks.take());
    this.#said(message, duplicate, turn.kind === "escalate" ? undefined : context);
    if (escalated) await this.#escalated();
  }

  /** bot → queued, with whatever else must commit with it. */
  async #escalateBy(record: ConversationRecord, actor: Actor, reason: string, also: Step<unknown>[] = []) {
    const [happened] = await commit(this.#db, escalateStep(this.#db, record, actor, reason), ...also);
    if (happened) await this.#escalated();
  }

  async #escalated() {
    // Waiting for a person is not the customer's silence: no reminder, no close (B4).
    await this.#idle.disarm();
    await this.#changed();
    this.#routeNew();
  }

  /** A bot message: stored, then to everyone here (and the Inbox, once a human has the conversation). */
  async #say(body: string, buttons: Button[] | undefined, clientMsgId = newId(), context?: BotContext) {
    const record = this.#record!;
    const { message, duplicate } = await appendMessage(this.#db, {
      conversationId: record.id,
      workspaceId: record.workspaceId,
      clientMsgId,
      authorKind: "bot",
      authorId: null,
      body,
      buttons: buttons?.length ? buttons : undefined,
      marks: this.#marks.take(),
    });
    this.#said(message, duplicate, context);
    return { message, duplicate };
  }

  /** A bot message committed: to everyone here (and the Inbox, once a human has the conversation). */
  #said(message: Message, duplicate: boolean, context?: BotContext) {
    if (!duplicate || message.seq > this.#broadcastSeq!) {
      this.#broadcastMessage(message);
      this.#relayActivity(this.#record!, message);
    }
    if (context) this.#armIdle(context);
  }

  /** An operator joined: the bot greets the customer in their name (B4), where the site has a bot. */
  async #greet(name: string) {
    const record = this.#record!;
    const bot = await this.#botInput(record, "");
    if (!bot) return;
    await this.#say(say(bot.input, "greeting", { operator: name }), undefined, newId(), bot.context);
  }

  // Closing after silence (B4): the customer's silence after the other side spoke.

  readonly #idle = createIdleTimer(this.ctx.storage, (work) => this.ctx.waitUntil(work));

  /** Read marks told to everyone and not stored yet (see pending-marks.ts). */
  readonly #marks = createPendingMarks({
    write: (marks) => storeMarks(this.#db, this.name, marks),
    run: (work) => this.#task(work),
    waitUntil: (work) => this.ctx.waitUntil(work),
  });

  #armIdle(context: BotContext, since?: number) {
    if (context.idle) this.#idle.arm(context.idle, since);
  }

  async onAlarm() {
    await this.#task(async () => {
      const record = await this.#reload();
      // A customer waiting in the queue is waiting on us: that silence does not count.
      const step = await this.#idle.due(!!record && record.status !== "closed" && record.status !== "queued");
      if (!step || !record) return;
      const bot = await this.#botInput(record, "");
      if (step.kind === "remind") {
        if (bot) await this.#say(say(bot.input, "reminder", { minutes: String(step.minutesLeft) }), undefined);
        return this.#idle.reminded();
      }
      if (bot) await this.#say(say(bot.input, "idleClosed"), undefined);
      // The close disarms the timer once it has committed.
      await this.#closeBy(this.#record!, SYSTEM(record.workspaceId));
    });
  }

  /**
   * Stores the customer's current page, unless it repeats the last one, and
   * shows it to operators. At most one a second per connection, and the
   * customer's page limit: of those that come too soon only the latest is
   * kept, and taken when its turn comes.
   */
  #page(connection: Connection<ConnectionState>, url: string, title: string | null) {
    const now = Date.now();
    const { pageAt } = connection.state!;
    const tooSoon = pageAt !== undefined && now - pageAt < PAGE_INTERVAL_MS ? pageAt + PAGE_INTERVAL_MS - now : 0;
    const wait = tooSoon || this.#limit.page(connection.state!.actor);
    if (!tooSoon) this.#allowed(connection, "page", wait);
    if (wait) {
      const waiting = this.#laterPages.has(connection.id);
      this.#laterPages.set(connection.id, { url, title });
      if (!waiting) setTimeout(() => this.#pageLater(connection.id), wait);
      return;
    }
    const state = connection.state!;
    connection.setState({ ...state, pageAt: now });
    const actor = state.actor;
    return this.#quietly(connection, async () => {
      const record = await this.#authorized(actor);
      if ("ok" in record || record.status === "closed") return;
      const view = await recordPageView(this.#db, {
        workspaceId: record.workspaceId,
        visitorId: actor.id!,
        conversationId: record.id,
        url,
        title,
      });
      if (view) this.#broadcast({ type: "page", ...view }, undefined, "operator");
    });
  }

  #pageLater(connectionId: string) {
    const page = this.#laterPages.get(connectionId);
    this.#laterPages.delete(connectionId);
    const connection = this.getConnection<ConnectionState>(connectionId);
    if (page && connection?.state) this.#page(connection, page.url, page.title);
  }

  get #busy(): boolean {
    return this.#serial.depth() >= MAX_WAITING;
  }

  /**
   * A send is stored in its turn or put off with a time to try again. Once
   * one is put off, the connection's later sends are put off with it (see
   * `held`) until it comes again, so the order the client sent is the order
   * stored: after the wait the client resends its outbox from the oldest.
   */
  #takeSend(connection: Connection<ConnectionState>, clientMsgId: string, body: string) {
    const state = connection.state!;
    const held = state.held;
    if (held && held.clientMsgId !== clientMsgId && held.until > Date.now()) {
      return this.#putOff(connection, { clientMsgId }, held.code, held.until - Date.now());
    }
    const wait = this.#limit.send(state.actor);
    const code = wait ? "rate_limited" : this.#busy ? "busy" : null;
    if (code) {
      const retryAfterMs = wait || busyWait();
      // The hold stays on the send put off first: the client resends from it.
      connection.setState({ ...state, held: { clientMsgId: held?.clientMsgId ?? clientMsgId, code, until: Date.now() + retryAfterMs } });
      return this.#putOff(connection, { clientMsgId }, code, retryAfterMs);
    }
    if (held?.clientMsgId === clientMsgId) connection.setState({ ...state, held: undefined });
    // Another than the held one came first after the wait: the client no longer has the held one,
    // which it drops only once it sees it stored (acked on another connection, or in a resume's
    // history). Made sure of in turn, before this one is stored.
    const passed = held && held.clientMsgId !== clientMsgId ? held : undefined;
    return this.#run(connection, clientMsgId, async () => {
      if (passed && !(await findByClientMsgId(this.#db, this.name, passed.clientMsgId))) {
        // Not stored: this one came too early (a frame slower than the wait); it goes again after the held one.
        const retryAfterMs = busyWait();
        connection.setState({ ...connection.state!, held: { ...passed, until: Date.now() + retryAfterMs } });
        return this.#putOff(connection, { clientMsgId }, passed.code, retryAfterMs);
      }
      if (passed && connection.state?.held?.clientMsgId === passed.clientMsgId) connection.setState({ ...connection.state, held: undefined });
      await this.#append(connection, state.actor, clientMsgId, body);
    });
  }

  /** Tells a client to send that frame again later. */
  #putOff(connection: Connection, about: { clientMsgId: string } | { frame: string }, code: "rate_limited" | "busy", retryAfterMs: number) {
    const seconds = Math.ceil(retryAfterMs / 1000);
    const message = code === "busy" ? `the conversation is busy; try again in ${seconds} s` : `too many at once; try again in ${seconds} s`;
    this.#send(connection, { type: "error", code, message, ...about, retryAfterMs });
  }

  /**
   * Whether a frame of this kind may go now (`wait` 0). A refused one says so
   * with an error frame, once per wait: the rest of a flood is dropped
   * without a word, so it is not answered frame for frame.
   */
  #allowed(connection: Connection<ConnectionState>, kind: "typing" | "page", wait: number): boolean {
    if (!wait) return true;
    const state = connection.state!;
    const now = Date.now();
    if ((state.quiet?.[kind] ?? 0) <= now) {
      connection.setState({ ...state, quiet: { ...state.quiet, [kind]: now + wait } });
      this.#putOff(connection, { frame: kind }, "rate_limited", wait);
    }
    return false;
  }

  #customerOnly(connection: Connection, type: string) {
    this.#send(connection, { type: "error", code: "bad_frame", message: `only the customer sends ${type} frames` });
  }

  async #append(connection: Connection<ConnectionState>, actor: Actor, clientMsgId: string, body: string) {
    // Storing this one could overtake an earlier send that failed: the client resends both, in order.
    if (connection.state?.broken) return;
    const record = await this.#authorized(actor);
    if ("ok" in record) {
      return this.#send(connection, { type: "error", code: "forbidden", message: record.message, clientMsgId });
    }
    if (record.status === "closed" && !(await this.#reopenForCustomer(record, actor))) {
      return this.#send(connection, { type: "error", code: "closed", message: "conversation is closed", clientMsgId });
    }
    const refusal = this.#replyRefusal(actor, record);
    if (refusal) {
      const earlier = await findByClientMsgId(this.#db, record.id, clientMsgId);
      if (earlier) return this.#send(connection, { type: "ack", clientMsgId, seq: earlier.seq, at: earlier.at });
      return this.#send(connection, { type: "error", code: "not_allowed", message: refusal, clientMsgId });
    }
    await this.#store(this.#record ?? record, actor, clientMsgId, body, connection);
  }

  /** An operator writing into someone else's conversation without the role to join it (D11). */
  #replyRefusal(actor: Actor, record: ConversationRecord): string | null {
    return actor.kind === "operator" && record.status !== "closed" ? replyRefusal(actor, record) : null;
  }

  /**
   * The customer writes again soon after a close (within the site's
   * window): the same conversation opens again and waits for a human (D8).
   * Later than that, the message is refused and the widget starts anew.
   */
  async #reopenForCustomer(cached: ConversationRecord, actor: Actor): Promise<boolean> {
    if (actor.kind !== "visitor") return false;
    // The site's window as it stands now: it may have changed in the settings since this room read it.
    const record = (await this.#reload()) ?? cached;
    if (record.closedAt === null || Date.now() - record.closedAt >= record.reopenMs) return false;
    if (!(await reopenByCustomer(this.#db, record, actor, record.reopenMs))) return false;
    await this.#changed();
    this.#routeNew();
    return true;
  }

  /** Insert, then ack, then broadcast: nobody hears of a message before it is committed. */
  async #store(
    current: ConversationRecord,
    actor: Actor,
    clientMsgId: string,
    body: string,
    sender?: Connection<ConnectionState>,
  ) {
    let record = current;
    if (actor.kind === "operator" && (record.status === "queued" || record.status === "bot")) {
      // Answering a waiting customer is taking the conversation; so is stepping in for the bot.
      const reason = record.status === "queued" ? "answered from the queue" : "took over from the bot";
      if (await claimConversation(this.#db, record, actor, reason)) {
        if (record.status === "queued") this.#leftQueue(record);
        await this.#changed();
        await this.#appendSystem("joined", `${actor.name} joined the conversation`, actor.name);
        record = this.#record!;
      }
    }
    const stored = await appendMessage(this.#db, {
      conversationId: record.id,
      workspaceId: record.workspaceId,
      clientMsgId,
      authorKind: actor.kind,
      authorId: actor.id,
      authorName: actor.kind === "operator" ? actor.name : null,
      body,
      // What the message says of the customer's mood commits with it (A5).
      sentiment: actor.kind === "visitor" ? sentimentOf(body) : undefined,
      marks: this.#marks.take(),
    });
    const { message, duplicate, firstReply } = stored;
    if (sender) this.#send(sender, { type: "ack", clientMsgId, seq: message.seq, at: message.at });
    if (duplicate && message.seq <= this.#broadcastSeq!) return stored;

    // New, or committed earlier without the room hearing back: everyone else learns of it now.
    this.#broadcastMessage(message, sender?.id);
    this.#relayActivity(record, message);
    if (firstReply || duplicate) this.#publish(record.workspaceId);
    if (actor.kind === "visitor") {
      await this.#idle.disarm();
      // The bot answers after this message's task, in the same queue: nothing overtakes either.
      if (record.status === "bot") this.ctx.waitUntil(this.#task(() => this.#botTurn(message)).catch((e) => logError("bot", e)));
    } else if (actor.kind === "operator") {
      // The operator spoke: the customer's silence counts from now (outside this queue: it is only a timer).
      const since = this.#idle.generation;
      const armed = loadBotContext(this.#db, record.id).then((context) => context?.configured && this.#armIdle(context, since));
      this.ctx.waitUntil(armed.catch((e) => logError("idle timer", e)));
    }
    return stored;
  }

  async #appendSystem(event: string, body: string, name: string | null) {
    await this.#appendSystemOnly(event, body, name);
    if (event === "joined" && name) await this.#greet(name);
  }

  async #appendSystemOnly(event: string, body: string, name: string | null) {
    const record = this.#record!;
    const input: NewMessage & { marks?: PendingMarks } = {
      conversationId: record.id,
      workspaceId: record.workspaceId,
      clientMsgId: newId(),
      authorKind: "system",
      authorId: null,
      authorName: name,
      body,
      kind: "system",
      event,
      marks: this.#marks.take(),
    };
    this.#broadcastMessage((await appendMessage(this.#db, input)).message);
  }

  #broadcastMessage(message: Message, except?: string) {
    this.#broadcastSeq = Math.max(this.#broadcastSeq ?? 0, message.seq);
    if (this.#record) this.#record.lastSeq = Math.max(this.#record.lastSeq, message.seq);
    this.#broadcast({ type: "message", message }, except);
  }

  // State

  async #authorized(actor: Actor): Promise<ConversationRecord | Refusal> {
    const record = this.#record ?? (await this.#reload());
    if (!record) return { ok: false, status: 404, code: "not_found", message: "no such conversation" };
    const allowed =
      actor.workspaceId === record.workspaceId && (actor.kind !== "visitor" || actor.id === record.visitorId);
    if (!allowed) return { ok: false, status: 403, code: "forbidden", message: "not your conversation" };
    return record;
  }

  async #reload() {
    this.#record = (await loadConversation(this.#db, this.name)) ?? undefined;
    this.#broadcastSeq ??= this.#record?.lastSeq;
    // Marks this room took but has not stored yet are newer than the stored ones.
    if (this.#record) this.#marks.apply(this.#record);
    return this.#record;
  }

  /** After a transition: tell everyone here, and the workspace's Inbox. */
  async #changed(): Promise<ConversationState> {
    const state = publicState((await this.#reload())!);
    this.#broadcast({ type: "conversation", conversation: state });
    this.#publish(this.#record!.workspaceId);
    return state;
  }

  #publish(workspaceId: string) {
    this.ctx.waitUntil(inboxRoom(this.env, workspaceId).publish().catch((e) => logError("inbox publish", e)));
  }

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
  #leftQueue(left: ConversationRecord) {
    const moved = queuedBehind(this.#db, left).then((ids) =>
      Promise.all(ids.map((id) => conversationRoom(this.env, id).queueMoved())),
    );
    this.ctx.waitUntil(moved.catch((e) => logError("queue moved", e)));
  }

  /** `entered` came (back) into the queue in an old place: the customers behind it moved down one. */
  #enteredQueue(entered: ConversationRecord) {
    this.#leftQueue(entered);
  }

  /** Just queued: the group may route it at once (oldest first, so maybe another one goes before it). */
  #routeNew() {
    const record = this.#record;
    if (record?.status === "queued" && record.groupId) this.#drain(record.workspaceId, [record.groupId]);
  }

  // Routing runs after the task that freed or queued someone, outside this room's queue:
  // it calls rooms, this one among them.
  #drain(workspaceId: string, groupIds: string[]) {
    this.ctx.waitUntil(drainQueues(this.env, this.#db, workspaceId, groupIds).catch((e) => logError("routing", e)));
  }

  #drainFor(workspaceId: string, operatorId: string) {
    this.ctx.waitUntil(drainForOperator(this.env, this.#db, workspaceId, operatorId).catch((e) => logError("routing", e)));
  }

  #relayActivity(record: ConversationRecord, message: Message) {
    if (record.status === "bot" && message.authorKind !== "visitor") return;
    const activity = {
      conversationId: record.id,
      lastSeq: message.seq,
      preview: message.body.slice(0, 140),
      authorKind: message.authorKind,
      at: message.at,
    };
    this.ctx.waitUntil(
      inboxRoom(this.env, record.workspaceId).relayActivity(activity).catch((e) => logError("inbox activity", e)),
    );
  }

  /**
   * Runs work in order. After a failure the cached state may be wrong (a
   * transition may have committed before a later step failed), so it is read
   * again next time. That happens inside the task: a handler chained after
   * it would run only once the next task had begun.
   */
  #task<T>(work: () => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      try {
        return await work();
      } catch (error) {
        this.#record = undefined;
        throw error;
      }
    });
  }

  /**
   * Runs a frame's work in order. If it fails (libSQL unreachable, say), the
   * connection is ended with 1011: the client reconnects, resumes, and resends
   * its whole outbox in order, so nothing sent after a failed message can be
   * stored before it. The connection is marked broken inside the failed task,
   * before the next one starts: that one may be this connection's next send.
   */
  #run(connection: Connection<ConnectionState>, clientMsgId: string | undefined, work: () => Promise<unknown>) {
    return this.#task(async () => {
      try {
        await work();
      } catch (error) {
        this.#endBroken(connection, clientMsgId, error);
        throw error;
      }
    }).catch(() => undefined);
  }

  /** A frame's work failed: its connection takes nothing more, says so, and is ended for the client to start again. */
  #endBroken(connection: Connection<ConnectionState>, clientMsgId: string | undefined, error: unknown) {
    logError("conversation room", error);
    const state = connection.state;
    if (state && !state.broken) connection.setState({ ...state, broken: true, live: false });
    this.#send(connection, {
      type: "error",
      code: "internal",
      message: "could not store it; reconnect and send it again",
      ...(clientMsgId ? { clientMsgId } : {}),
    });
    try {
      connection.close(1011, "storage unavailable, reconnect");
    } catch {
      // Already gone.
    }
  }

  /**
   * Runs a frame's work in order, for frames whose loss costs little (a read
   * mark, a page, an escalation the customer can ask for again): a failure is
   * logged and reported, and the connection stays.
   */
  #quietly(connection: Connection, work: () => Promise<unknown>) {
    return this.#task(work).then(
      () => undefined,
      (error) => {
        logError("conversation room", error);
        this.#send(connection, { type: "error", code: "internal", message: "could not do that now; try again" });
      },
    );
  }

  #send(connection: Connection, frame: ServerFrame) {
    sendFrame(connection, frame);
  }

  #broadcast(frame: ServerFrame, except?: string, only?: Actor["kind"]) {
    const text = JSON.stringify(frame);
    for (const connection of this.getConnections<ConnectionState>()) {
      if (connection.id === except || !connection.state?.live) continue;
      if (only && connection.state.actor.kind !== only) continue;
      try {
        connection.send(text);
      } catch {
        // Gone; it resumes from its last seq.
      }
    }
  }
}
