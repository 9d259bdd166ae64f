import {
  ClientFrame,
  CloseCode,
  newId,
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
import { completeClose, createSerialQueue, parseFrame, sendFrame } from "./frames";
import { inboxOf } from "./inbox-stub";

type ConnectionState = {
  actor: Actor;
  live: boolean;
  /** A frame of this connection failed to store; its later frames are dropped until it reconnects. */
  broken?: boolean;
};

/** What the Worker's API gets back from a room call. */
export type RoomResult<T = object> =
  | ({ ok: true; conversation: ConversationState } & T)
  | { ok: false; status: 403 | 404 | 409; code: string; message: string };

const HISTORY_PAGE = 500;

/**
 * One conversation's room, and the only writer of its message sequence.
 *
 * Appends, replays and state changes run one at a time (see `serial`): a
 * Durable Object keeps taking events while it awaits libSQL, and without the
 * queue two sends could commit in one order and broadcast in the other.
 */
export class Conversation extends Server<Env> {
  static options = { hibernate: true };

  readonly serial = createSerialQueue();
  #db: Db | undefined;
  #record: ConversationRecord | undefined;

  get db(): Db {
    return (this.#db ??= createDb(this.env));
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
    return this.serial(async () => {
      const record = await this.#authorized(operator);
      if ("ok" in record) return record;
      if (!(await claimConversation(this.db, record, operator, "picked by hand"))) {
        await this.#reload();
        const who = this.#record?.assignee?.name;
        const message = who ? `already taken by ${who}` : `conversation is ${this.#record?.status}`;
        return { ok: false, status: 409, code: "conflict", message };
      }
      await this.#changed();
      await this.#appendSystem("joined", `${operator.name} joined the conversation`, operator.name);
      return { ok: true, conversation: publicState(this.#record!) };
    });
  }

  close(actor: Actor): Promise<RoomResult> {
    return this.serial(async () => {
      const record = await this.#authorized(actor);
      if ("ok" in record) return record;
      if (!(await closeConversation(this.db, record, actor))) {
        return { ok: false, status: 409, code: "conflict", message: "conversation is already closed" };
      }
      await this.#appendSystem("closed", "The conversation was closed", null);
      await this.#changed();
      return { ok: true, conversation: publicState(this.#record!) };
    });
  }

  post(actor: Actor, clientMsgId: string, body: string): Promise<RoomResult<{ message: Message; duplicate: boolean }>> {
    return this.serial(async () => {
      const record = await this.#authorized(actor);
      if ("ok" in record) return record;
      if (record.status === "closed") {
        return { ok: false, status: 409, code: "closed", message: "conversation is closed" };
      }
      const stored = await this.#store(record, actor, clientMsgId, body);
      return { ok: true, conversation: publicState(record), ...stored };
    });
  }

  // Frames

  async #resume(connection: Connection<ConnectionState>, actor: Actor, after: number) {
    const record = await this.#authorized(actor);
    if ("ok" in record) {
      this.#send(connection, { type: "error", code: record.code === "forbidden" ? "forbidden" : "not_found", message: record.message });
      connection.close(record.code === "forbidden" ? CloseCode.forbidden : CloseCode.notFound, record.message);
      return;
    }
    let cursor = after;
    for (;;) {
      const page = await readMessagesAfter(this.db, record.id, cursor, HISTORY_PAGE);
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
      if (await claimConversation(this.db, record, actor, "answered from the queue")) {
        await this.#changed();
        await this.#appendSystem("joined", `${actor.name} joined the conversation`, actor.name);
        record = this.#record!;
      }
    }
    const stored = await appendMessage(this.db, {
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
    if (duplicate) return stored;
    record.lastSeq = Math.max(record.lastSeq, message.seq);
    this.#broadcast({ type: "message", message }, sender?.id);
    this.#relayActivity(record, message);
    if (firstReply) this.#publish(record.workspaceId);
    if (actor.kind === "visitor" && record.status === "bot") {
      // No bot yet: the customer's first words go straight to the human queue.
      if (await escalateConversation(this.db, record, { kind: "system", id: null, workspaceId: record.workspaceId }, "no bot")) {
        await this.#changed();
      }
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
    const { message } = await appendMessage(this.db, input);
    record.lastSeq = Math.max(record.lastSeq, message.seq);
    this.#broadcast({ type: "message", message });
  }

  // State

  async #authorized(actor: Actor): Promise<ConversationRecord | Extract<RoomResult, { ok: false }>> {
    const record = this.#record ?? (await this.#reload());
    if (!record) return { ok: false, status: 404, code: "not_found", message: "no such conversation" };
    const allowed =
      actor.workspaceId === record.workspaceId && (actor.kind !== "visitor" || actor.id === record.visitorId);
    if (!allowed) return { ok: false, status: 403, code: "forbidden", message: "not your conversation" };
    return record;
  }

  async #reload() {
    this.#record = (await loadConversation(this.db, this.name)) ?? undefined;
    return this.#record;
  }

  /** After a transition: tell everyone here, and the workspace's Inbox. */
  async #changed() {
    const record = await this.#reload();
    if (!record) return;
    this.#broadcast({ type: "conversation", conversation: publicState(record) });
    this.#publish(record.workspaceId);
  }

  #publish(workspaceId: string) {
    this.ctx.waitUntil(inboxOf(this.env, workspaceId).publish().catch((e) => console.error("inbox publish", e)));
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
      inboxOf(this.env, record.workspaceId).relayActivity(activity).catch((e) => console.error("inbox activity", e)),
    );
  }

  /**
   * Runs a frame's work in order. If it fails (libSQL unreachable, say), the
   * connection is ended with 1011: the client reconnects, resumes, and resends
   * its whole outbox in order, so nothing sent after a failed message can be
   * stored before it.
   */
  #run(connection: Connection<ConnectionState>, clientMsgId: string | undefined, task: () => Promise<unknown>) {
    return this.serial(task).then(
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
