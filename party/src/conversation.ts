import {
  BotMessage,
  ClientFrame,
  closeRefusal,
  CloseCode,
  MAX_CLIENT_FRAME,
  newId,
  parseFrame,
  replyRefusal,
  type ConversationState,
  type Message,
  type ServerFrame,
} from "@tandem/protocol";
import * as v from "valibot";
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { ACTOR_HEADER, decodeActor, type Actor, type OperatorActor } from "../../worker/src/auth/actor";
import { storeMarks } from "../../worker/src/conversations/append-message";
import { loadConversation, publicState, type ConversationRecord } from "../../worker/src/conversations/load-conversation";
import { findByClientMsgId, readNewestAfter } from "../../worker/src/conversations/messages";
import { readCurrentPage } from "../../worker/src/conversations/page-views";
import { createDb, type Db } from "../../worker/src/db/client";
import type { Env } from "../../worker/src/env";
import { inboxRoom } from "../../worker/src/rooms";
import { logError } from "../../worker/src/log-error";
import { askForPerson } from "./conversation/bot-turns";
import { say } from "./conversation/bot-voice";
import { claimBy } from "./conversation/claim";
import { closeBy } from "./conversation/close";
import { ringIdleAlarm } from "./conversation/idle-alarm";
import { publish } from "./conversation/inbox-notices";
import { storePage } from "./conversation/page-trail";
import { raiseReadMark } from "./conversation/read-mark";
import { reopenBy, reopenForCustomer } from "./conversation/reopen";
import { SYSTEM, type Refusal, type Room, type RoomResult, type TransferTarget } from "./conversation/room";
import { requeueFor, routeWaiting } from "./conversation/route";
import { storeMessage } from "./conversation/store-message";
import { transferBy } from "./conversation/transfer";
import { completeClose, createSerialQueue, sendFrame } from "./frames";
import { createIdleTimer } from "./idle-timer";
import { createPendingMarks } from "./pending-marks";
import { createSenderLimits } from "./sender-limits";

export type { RoomResult, TransferTarget } from "./conversation/room";

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

/**
 * One conversation's room, and the only writer of its message sequence.
 * It is the socket shell: it authenticates and authorizes, parses frames,
 * and sends them; what a message or a call causes lives in ./conversation/.
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

  // Closing after silence (B4): the customer's silence after the other side spoke.
  readonly #idle = createIdleTimer(this.ctx.storage, (work) => this.ctx.waitUntil(work));

  /** Read marks told to everyone and not stored yet (see pending-marks.ts). */
  readonly #marks = createPendingMarks({
    write: (marks) => storeMarks(this.#db, this.name, marks),
    run: (work) => this.#task(work),
    waitUntil: (work) => this.ctx.waitUntil(work),
  });

  /** What the domain modules get of this room (see conversation/room.ts). */
  readonly #room: Room = (() => {
    const self = this;
    return {
      get env() {
        return self.env;
      },
      get db() {
        return self.#db;
      },
      get name() {
        return self.name;
      },
      get record() {
        return self.#record;
      },
      get broadcastSeq() {
        return self.#broadcastSeq;
      },
      idle: self.#idle,
      marks: self.#marks,
      reload: () => self.#reload(),
      changed: () => self.#changed(),
      broadcast: (frame, except, only) => self.#broadcast(frame, except, only),
      broadcastMessage: (message, except) => self.#broadcastMessage(message, except),
      task: (work) => self.#task(work),
      waitUntil: (work) => self.ctx.waitUntil(work),
    };
  })();

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
      return claimBy(this.#room, record, operator);
    });
  }

  close(actor: Actor): Promise<RoomResult> {
    return this.#task(async () => {
      const record = await this.#authorized(actor);
      if ("ok" in record) return record;
      // Checked here, in this room's order: the assignee cannot change between the check and the close.
      const refusal = actor.kind === "operator" && record.status !== "closed" && closeRefusal(actor, record);
      if (refusal) return { ok: false, status: 403, code: "forbidden", message: refusal };
      return closeBy(this.#room, record, actor);
    });
  }

  /** Automatic routing (D3): see routeWaiting. */
  route(): Promise<{ assigned: string | null }> {
    return this.#task(() => routeWaiting(this.#room));
  }

  /** Its operator went offline: back to the queue, in its old place (D3). False if it was not theirs any more. */
  returnToQueue(operatorId: string, reason: string): Promise<boolean> {
    return this.#task(() => requeueFor(this.#room, operatorId, reason));
  }

  /** Hands the conversation to another operator or group (D7): see transferBy. */
  transfer(actor: OperatorActor, target: TransferTarget, note: string | null): Promise<RoomResult> {
    return this.#task(async () => {
      const record = await this.#authorized(actor);
      if ("ok" in record) return record;
      return transferBy(this.#room, record, actor, target, note);
    });
  }

  /** closed → assigned to the operator who reopens it (D8). */
  reopen(operator: OperatorActor): Promise<RoomResult> {
    return this.#task(async () => {
      const record = await this.#authorized(operator);
      if ("ok" in record) return record;
      return reopenBy(this.#room, record, operator);
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
      return { ok: true, ...(await say(this.#room, body, buttons, clientMsgId)) };
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
      const { message, duplicate } = await storeMessage(this.#room, record, actor, clientMsgId, body);
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

  /** Raises the sender's side's read mark and tells everyone (see raiseReadMark). */
  async #read(actor: Actor, seq: number) {
    const record = await this.#authorized(actor);
    // An operator only looking at another's conversation has not read it for them.
    if ("ok" in record || actor.kind === "system" || this.#replyRefusal(actor, record)) return;
    raiseReadMark(this.#room, record, actor.kind, seq);
  }

  /** The customer asks for a human (see askForPerson). */
  async #escalate(actor: Actor) {
    const record = await this.#authorized(actor);
    if ("ok" in record) return;
    await askForPerson(this.#room, record, actor);
  }

  async onAlarm() {
    await this.#task(() => ringIdleAlarm(this.#room));
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
      await storePage(this.#room, record, actor.id!, url, title);
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
    if (record.status === "closed" && !(await reopenForCustomer(this.#room, record, actor))) {
      return this.#send(connection, { type: "error", code: "closed", message: "conversation is closed", clientMsgId });
    }
    const refusal = this.#replyRefusal(actor, record);
    if (refusal) {
      const earlier = await findByClientMsgId(this.#db, record.id, clientMsgId);
      if (earlier) return this.#send(connection, { type: "ack", clientMsgId, seq: earlier.seq, at: earlier.at });
      return this.#send(connection, { type: "error", code: "not_allowed", message: refusal, clientMsgId });
    }
    await storeMessage(this.#room, this.#record ?? record, actor, clientMsgId, body, {
      id: connection.id,
      ack: (message) => this.#send(connection, { type: "ack", clientMsgId, seq: message.seq, at: message.at }),
    });
  }

  /** An operator writing into someone else's conversation without the role to join it (D11). */
  #replyRefusal(actor: Actor, record: ConversationRecord): string | null {
    return actor.kind === "operator" && record.status !== "closed" ? replyRefusal(actor, record) : null;
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
    publish(this.#room, this.#record!.workspaceId);
    return state;
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
