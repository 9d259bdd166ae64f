import {
  ClientFrame,
  CloseCode,
  newId,
  parseFrame,
  type ConversationState,
  type Message,
  type ServerFrame,
} from "@tandem/protocol";
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { ACTOR_HEADER, decodeActor, type Actor, type OperatorActor } from "../../worker/src/auth/actor";
import { appendMessage, type NewMessage } from "../../worker/src/conversations/append-message";
import { loadConversation, publicState, type ConversationRecord } from "../../worker/src/conversations/load-conversation";
import { readMessagesAfter } from "../../worker/src/conversations/messages";
import { claimConversation, closeConversation, escalateConversation } from "../../worker/src/conversations/transitions";
import { createDb, type Db } from "../../worker/src/db/client";
import type { Env } from "../../worker/src/env";
import { inboxRoom } from "../../worker/src/rooms";
import { completeClose, createSerialQueue, sendFrame } from "./frames";

type ConnectionState = {
  actor: Actor;
  live: boolean;
  /** A frame of this connection failed to store; its later frames are dropped until it reconnects. */
  broken?: boolean;
};

type Refusal = { ok: false; status: 403 | 404 | 409; code: string; message: string };

/** What the Worker's API gets back from a room call. */
export type RoomResult<T = { conversation: ConversationState }> = ({ ok: true } & T) | Refusal;

const HISTORY_PAGE = 500;
const SYSTEM = (workspaceId: string): Actor => ({ kind: "system", id: null, workspaceId });

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
  #database: Db | undefined;
  #record: ConversationRecord | undefined;
  /**
   * The highest seq this instance has broadcast. A duplicate above it is a
   * message whose commit the room never heard back about: its broadcast is
   * still owed. Set once per instance, from the database, on first load.
   */
  #broadcastSeq: number | undefined;

  get #db(): Db {
    return (this.#database ??= createDb(this.env));
  }

  onConnect(connection: Connection<ConnectionState>, ctx: ConnectionContext) {
    // The Worker authenticated this request and named the actor; nothing else can reach a room.
    const actor = decodeActor(ctx.request.headers.get(ACTOR_HEADER));
    if (!actor || actor.kind === "system") {
      connection.close(CloseCode.unauthenticated, "not signed in");
      return;
    }
    connection.setState({ actor, live: false });
  }

  onClose(connection: Connection, code: number) {
    completeClose(connection, code);
  }

  onMessage(connection: Connection<ConnectionState>, raw: WSMessage) {
    const state = connection.state;
    if (!state) return;
    const parsed = parseFrame(ClientFrame, raw);
    if (!parsed.ok) return this.#send(connection, { type: "error", code: "bad_frame", message: parsed.message });
    const frame = parsed.frame;
    switch (frame.type) {
      case "resume":
        return this.#run(connection, undefined, () => this.#resume(connection, state.actor, frame.after));
      case "send":
        return this.#run(connection, frame.clientMsgId, () =>
          this.#append(connection, state.actor, frame.clientMsgId, frame.body),
        );
      case "typing":
        return this.#broadcast(
          {
            type: "typing",
            authorKind: state.actor.kind,
            name: state.actor.kind === "operator" ? state.actor.name : null,
            typing: frame.typing,
          },
          connection.id,
        );
    }
  }

  // Called by the Worker's API (Durable Object RPC), after it checked who asks.

  claim(operator: OperatorActor): Promise<RoomResult> {
    return this.#task(async () => {
      const record = await this.#authorized(operator);
      if ("ok" in record) return record;
      if (!(await claimConversation(this.#db, record, operator, "picked by hand"))) {
        const now = await this.#reload();
        const message = now?.assignee ? `already taken by ${now.assignee.name}` : `conversation is ${now?.status}`;
        return { ok: false, status: 409, code: "conflict", message };
      }
      const state = await this.#changed();
      await this.#appendSystem("joined", `${operator.name} joined the conversation`, operator.name);
      return { ok: true, conversation: state };
    });
  }

  close(actor: Actor): Promise<RoomResult> {
    return this.#task(async () => {
      const record = await this.#authorized(actor);
      if ("ok" in record) return record;
      if (!(await closeConversation(this.#db, record, actor))) {
        return { ok: false, status: 409, code: "conflict", message: "conversation is already closed" };
      }
      // The state first: it must reach everyone even if the notice below fails.
      const state = await this.#changed();
      await this.#appendSystem("closed", "The conversation was closed", null);
      return { ok: true, conversation: state };
    });
  }

  post(actor: Actor, clientMsgId: string, body: string): Promise<RoomResult<{ message: Message; duplicate: boolean }>> {
    return this.#task(async () => {
      const record = await this.#authorized(actor);
      if ("ok" in record) return record;
      if (record.status === "closed") {
        return { ok: false, status: 409, code: "closed", message: "conversation is closed" };
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
    let cursor = after;
    for (;;) {
      const page = await readMessagesAfter(this.#db, record.id, cursor, HISTORY_PAGE);
      this.#send(connection, { type: "history", messages: page.messages, more: page.more });
      cursor = page.messages.at(-1)?.seq ?? cursor;
      if (!page.more) break;
    }
    // From here on this connection gets every new message as it commits, and nothing twice.
    connection.setState({ actor, live: true });
    this.#send(connection, { type: "conversation", conversation: publicState(record) });
  }

  async #append(connection: Connection<ConnectionState>, actor: Actor, clientMsgId: string, body: string) {
    // Storing this one could overtake an earlier send that failed: the client resends both, in order.
    if (connection.state?.broken) return;
    const record = await this.#authorized(actor);
    if ("ok" in record) {
      return this.#send(connection, { type: "error", code: "forbidden", message: record.message, clientMsgId });
    }
    if (record.status === "closed") {
      return this.#send(connection, { type: "error", code: "closed", message: "conversation is closed", clientMsgId });
    }
    await this.#store(record, actor, clientMsgId, body, connection);
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
    if (actor.kind === "operator" && record.status === "queued") {
      // Answering a waiting customer is taking the conversation.
      if (await claimConversation(this.#db, record, actor, "answered from the queue")) {
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
    });
    const { message, duplicate, firstReply } = stored;
    if (sender) this.#send(sender, { type: "ack", clientMsgId, seq: message.seq, at: message.at });
    if (duplicate && message.seq <= this.#broadcastSeq!) return stored;

    // New, or committed earlier without the room hearing back: everyone else learns of it now.
    this.#broadcastMessage(message, sender?.id);
    this.#relayActivity(record, message);
    if (firstReply || duplicate) this.#publish(record.workspaceId);
    if (actor.kind === "visitor" && record.status === "bot") {
      // No bot yet: the customer's first words go straight to the human queue.
      if (await escalateConversation(this.#db, record, SYSTEM(record.workspaceId), "no bot")) await this.#changed();
    }
    return stored;
  }

  async #appendSystem(event: string, body: string, name: string | null) {
    const record = this.#record!;
    const input: NewMessage = {
      conversationId: record.id,
      workspaceId: record.workspaceId,
      clientMsgId: newId(),
      authorKind: "system",
      authorId: null,
      authorName: name,
      body,
      kind: "system",
      event,
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
    this.ctx.waitUntil(inboxRoom(this.env, workspaceId).publish().catch((e) => console.error("inbox publish", e)));
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
      inboxRoom(this.env, record.workspaceId).relayActivity(activity).catch((e) => console.error("inbox activity", e)),
    );
  }

  /**
   * Runs work in order. After a failure the cached state may be wrong (a
   * transition may have committed before a later step failed), so it is read
   * again next time.
   */
  #task<T>(work: () => Promise<T>): Promise<T> {
    return this.#serial(work).catch((error) => {
      this.#record = undefined;
      throw error;
    });
  }

  /**
   * Runs a frame's work in order. If it fails (libSQL unreachable, say), the
   * connection is ended with 1011: the client reconnects, resumes, and resends
   * its whole outbox in order, so nothing sent after a failed message can be
   * stored before it.
   */
  #run(connection: Connection<ConnectionState>, clientMsgId: string | undefined, work: () => Promise<unknown>) {
    return this.#task(work).then(
      () => undefined,
      (error) => {
        console.error("conversation room:", error);
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
      },
    );
  }

  #send(connection: Connection, frame: ServerFrame) {
    sendFrame(connection, frame);
  }

  #broadcast(frame: ServerFrame, except?: string) {
    const text = JSON.stringify(frame);
    for (const connection of this.getConnections<ConnectionState>()) {
      if (connection.id === except || !connection.state?.live) continue;
      try {
        connection.send(text);
      } catch {
        // Gone; it resumes from its last seq.
      }
    }
  }
}
