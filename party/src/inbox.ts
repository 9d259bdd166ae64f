import { CloseCode, InboxClientFrame, parseFrame, type InboxEvent, type InboxServerFrame } from "@tandem/protocol";
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { ACTOR_HEADER, decodeActor, type OperatorActor } from "../../worker/src/auth/actor";
import { readEventsAfter } from "../../worker/src/conversations/inbox-events";
import { readSummariesById } from "../../worker/src/conversations/summaries";
import { createDb, type Db } from "../../worker/src/db/client";
import type { Env } from "../../worker/src/env";
import { completeClose, createSerialQueue, sendFrame } from "./frames";

type ConnectionState = { actor: OperatorActor; live: boolean; version: number };

export type Activity = Omit<Extract<InboxServerFrame, { type: "activity" }>, "type">;

/** More events than this behind, a dashboard takes a fresh snapshot instead of a replay. */
const REPLAY_LIMIT = 1000;

/**
 * A workspace's live queue for its operators. Conversation rooms call
 * `publish()` after every state change; the Inbox reads the events log from
 * libSQL and sends each connection, in version order, the events it has not
 * seen. Nothing here needs to survive eviction: versions live on connections.
 */
export class Inbox extends Server<Env> {
  static options = { hibernate: true };

  readonly #serial = createSerialQueue();
  #database: Db | undefined;

  get #db(): Db {
    return (this.#database ??= createDb(this.env));
  }

  onConnect(connection: Connection<ConnectionState>, ctx: ConnectionContext) {
    const actor = decodeActor(ctx.request.headers.get(ACTOR_HEADER));
    if (!actor || actor.kind !== "operator" || actor.workspaceId !== this.name) {
      connection.close(CloseCode.forbidden, "not an operator of this workspace");
      return;
    }
    connection.setState({ actor, live: false, version: 0 });
  }

  onClose(connection: Connection, code: number) {
    completeClose(connection, code);
  }

  onMessage(connection: Connection<ConnectionState>, raw: WSMessage) {
    const state = connection.state;
    if (!state) return;
    const parsed = parseFrame(InboxClientFrame, raw);
    if (!parsed.ok) return this.#send(connection, { type: "error", code: "bad_frame", message: parsed.message });
    const { after } = parsed.frame;
    return this.#serial(() => this.#resume(connection, state, after)).catch((error) => {
      console.error("inbox resume:", error);
      this.#send(connection, { type: "error", code: "internal", message: "could not replay; resume again" });
    });
  }

  /** Sends every live connection the events it has not seen yet. */
  publish(): Promise<void> {
    return this.#serial(async () => {
      const live = [...this.getConnections<ConnectionState>()].filter((c) => c.state?.live);
      if (live.length === 0) return;
      const from = Math.min(...live.map((c) => c.state!.version));
      const events = await readEventsAfter(this.#db, this.name, from, REPLAY_LIMIT);
      const summaries = await readSummariesById(this.#db, this.name, unique(events));
      for (const connection of live) this.#deliver(connection, events, summaries);
    });
  }

  /** A session ended (signed out, revoked): its sockets here go at once. */
  endSession(sessionId: string): void {
    for (const connection of this.getConnections<ConnectionState>()) {
      if (connection.state?.actor.sessionId === sessionId) connection.close(CloseCode.unauthenticated, "session ended");
    }
  }

  /** A new message somewhere in the workspace: relayed as it comes, never stored. */
  relayActivity(activity: Activity): void {
    const text = JSON.stringify({ type: "activity", ...activity } satisfies InboxServerFrame);
    for (const connection of this.getConnections<ConnectionState>()) {
      if (!connection.state?.live) continue;
      try {
        connection.send(text);
      } catch {
        // Gone; its next snapshot has the latest preview.
      }
    }
  }

  async #resume(connection: Connection<ConnectionState>, state: ConnectionState, after: number) {
    const events = await readEventsAfter(this.#db, this.name, after, REPLAY_LIMIT + 1);
    if (events.length > REPLAY_LIMIT) {
      this.#send(connection, { type: "stale" });
      return;
    }
    const summaries = await readSummariesById(this.#db, this.name, unique(events));
    connection.setState({ ...state, live: true, version: after });
    this.#deliver(connection, events, summaries);
  }

  #deliver(
    connection: Connection<ConnectionState>,
    events: InboxEvent[],
    summaries: Awaited<ReturnType<typeof readSummariesById>>,
  ) {
    const state = connection.state!;
    let version = state.version;
    for (const event of events) {
      if (event.version <= version) continue;
      const conversation = event.conversationId ? (summaries.get(event.conversationId) ?? null) : null;
      this.#send(connection, { type: "event", event, conversation });
      version = event.version;
    }
    if (version !== state.version) connection.setState({ ...state, version });
  }

  #send(connection: Connection, frame: InboxServerFrame) {
    sendFrame(connection, frame);
  }
}

function unique(events: InboxEvent[]) {
  return [...new Set(events.flatMap((e) => (e.conversationId ? [e.conversationId] : [])))];
}
