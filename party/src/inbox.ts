import { CloseCode, InboxClientFrame, MAX_CLIENT_FRAME, parseFrame, type InboxEvent, type InboxServerFrame, type Presence } from "@tandem/protocol";
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { ACTOR_HEADER, decodeActor, type OperatorActor } from "../../worker/src/auth/actor";
import { readEventsAfter } from "../../worker/src/conversations/inbox-events";
import { readSummariesById } from "../../worker/src/conversations/summaries";
import { changePresence, readPresence } from "../../worker/src/routing/presence";
import { createDb, type Db } from "../../worker/src/db/client";
import { conversationRoom } from "../../worker/src/rooms";
import type { Env } from "../../worker/src/env";
import { completeClose, createSerialQueue, sendFrame } from "./frames";
import { logError } from "../../worker/src/log-error";

type ConnectionState = { actor: OperatorActor; live: boolean; version: number };

export type Activity = Omit<Extract<InboxServerFrame, { type: "activity" }>, "type">;

/** How long a dashboard may be gone (a reload, a Wi-Fi change) before its operator goes offline. */
const PRESENCE_GRACE_MS = 30_000;
/** Storage keys: when each operator whose dashboards all left goes offline. */
const LEAVING = "leaving:";
/** Storage keys: operators who chose offline themselves; their dashboard's return does not put them online. */
const CHOSE_OFFLINE = "chose-offline:";

/** Storage keys `open:<session>:<conversation>`: conversation rooms where a session has a socket. */
const OPEN = "open:";
/** Storage keys: sessions that ended, so a room socket that registers late is refused too. */
const ENDED = "ended:";
/** An ended session is remembered this long: longer than any connect takes. */
const ENDED_MS = 60 * 60_000;

/** More events than this behind, a dashboard takes a fresh snapshot instead of a replay. */
const REPLAY_LIMIT = 1000;

/**
 * A workspace's live queue for its operators. Conversation rooms call
 * `publish()` after every state change; the Inbox reads the events log from
 * libSQL and sends each connection, in version order, the events it has not
 * seen. Nothing here needs to survive eviction: versions live on connections.
 */
export class Inbox extends Server<Env> {
  // Not hibernating: a hibernatable socket that never sent a frame keeps its
  // TCP connection after we close it, for as long as the object stays awake
  // (for ever in a busy workspace), so a signed-out dashboard that stayed
  // silent was never let go. One Inbox per workspace, awake while dashboards
  // are connected, is the price; the many conversation rooms still hibernate.
  static options = { hibernate: false };

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
    this.ctx.waitUntil(this.#arrived(actor).catch((e) => logError("inbox presence", e)));
  }

  onClose(connection: Connection<ConnectionState>, code: number) {
    completeClose(connection, code);
    const actor = connection.state?.actor;
    if (actor && !this.#connected(actor.id, connection.id)) {
      this.ctx.waitUntil(this.#leaving(actor.id).catch((e) => logError("inbox presence", e)));
    }
  }

  /** The grace is up for operators whose dashboards did not come back: they go offline. */
  async onAlarm() {
    const now = Date.now();
    const leaving = await this.ctx.storage.list<number>({ prefix: LEAVING });
    for (const [key, deadline] of leaving) {
      if (deadline > now) continue;
      const operatorId = key.slice(LEAVING.length);
      await this.ctx.storage.delete(key);
      if (this.#connected(operatorId)) continue;
      const system = { kind: "system", id: null, workspaceId: this.name } as const;
      const change = await changePresence(this.env, this.#db, this.name, operatorId, "offline", system, "dashboard disconnected");
      if (change.changed) this.presenceChanged(operatorId, "offline", change.at);
    }
    await this.#scheduleAlarm();
  }

  /**
   * Tells every dashboard an operator's presence changed. `chosen` marks
   * a change the operator made themselves (their toggle).
   */
  async presenceChanged(operatorId: string, presence: Presence, at: number, chosen = false) {
    if (chosen) {
      if (presence === "offline") await this.ctx.storage.put(CHOSE_OFFLINE + operatorId, at);
      else await this.ctx.storage.delete(CHOSE_OFFLINE + operatorId);
    }
    const text = JSON.stringify({ type: "presence", operatorId, presence, at } satisfies InboxServerFrame);
    for (const connection of this.getConnections<ConnectionState>()) {
      // The operator's own dashboards hear it even before they resume: it is often their arrival that changed it.
      if (!connection.state?.live && connection.state?.actor.id !== operatorId) continue;
      try {
        connection.send(text);
      } catch {
        // Gone; its next snapshot reads presence afresh.
      }
    }
  }

  get #graceMs(): number {
    // Tests shorten it with a --var; production keeps the default.
    const configured = Number(this.env.PRESENCE_GRACE_MS);
    return configured > 0 ? configured : PRESENCE_GRACE_MS;
  }

  /** Has this operator a dashboard here (other than the one closing)? */
  #connected(operatorId: string, except?: string): boolean {
    for (const connection of this.getConnections<ConnectionState>()) {
      if (connection.id !== except && connection.state?.actor.id === operatorId) return true;
    }
    return false;
  }

  /** A dashboard connected: its operator is not leaving, and comes online unless they chose offline or away. */
  async #arrived(actor: OperatorActor) {
    await this.ctx.storage.delete(LEAVING + actor.id);
    if (await this.ctx.storage.get(CHOSE_OFFLINE + actor.id)) return;
    const now = await readPresence(this.#db, this.name, actor.id);
    if (now?.presence !== "offline") return;
    const change = await changePresence(this.env, this.#db, this.name, actor.id, "online", actor, "dashboard connected");
    if (change.changed) await this.presenceChanged(actor.id, "online", change.at);
  }

  async #leaving(operatorId: string) {
    await this.ctx.storage.put(LEAVING + operatorId, Date.now() + this.#graceMs);
    await this.#scheduleAlarm();
  }

  async #scheduleAlarm() {
    const leaving = await this.ctx.storage.list<number>({ prefix: LEAVING });
    const next = Math.min(...leaving.values());
    if (Number.isFinite(next)) await this.ctx.storage.setAlarm(next);
    else await this.ctx.storage.deleteAlarm();
  }

  onMessage(connection: Connection<ConnectionState>, raw: WSMessage) {
    const state = connection.state;
    if (!state) return;
    const parsed = parseFrame(InboxClientFrame, raw, MAX_CLIENT_FRAME);
    if (!parsed.ok) return this.#send(connection, { type: "error", code: "bad_frame", message: parsed.message });
    const { after } = parsed.frame;
    return this.#serial(() => this.#resume(connection, state, after)).catch((error) => {
      logError("inbox resume", error);
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

  /**
   * A session's operator has a new role: its sockets here and in its
   * conversation rooms close with `renewed`, and connect again under it.
   */
  async renewSession(sessionId: string): Promise<void> {
    for (const connection of this.getConnections<ConnectionState>()) {
      if (connection.state?.actor.sessionId === sessionId) connection.close(CloseCode.renewed, "role changed");
    }
    const open = await this.ctx.storage.list({ prefix: `${OPEN}${sessionId}:` });
    await Promise.all(
      [...open.keys()].map((key) =>
        conversationRoom(this.env, key.slice(key.lastIndexOf(":") + 1))
          .endSession(sessionId, CloseCode.renewed)
          .catch((e) => logError("renew session in room", e)),
      ),
    );
  }

  /**
   * A session ended (signed out, revoked, deactivated): its sockets go at
   * once, here and in every conversation room it has open.
   */
  async endSession(sessionId: string): Promise<void> {
    for (const connection of this.getConnections<ConnectionState>()) {
      if (connection.state?.actor.sessionId === sessionId) connection.close(CloseCode.unauthenticated, "session ended");
    }
    const now = Date.now();
    await this.ctx.storage.put(ENDED + sessionId, now);
    const open = await this.ctx.storage.list({ prefix: `${OPEN}${sessionId}:` });
    await Promise.all(
      [...open.keys()].map((key) =>
        conversationRoom(this.env, key.slice(key.lastIndexOf(":") + 1))
          .endSession(sessionId)
          .catch((e) => logError("end session in room", e)),
      ),
    );
    const ended = await this.ctx.storage.list<number>({ prefix: ENDED });
    const old = [...ended].filter(([, at]) => now - at > ENDED_MS).map(([key]) => key);
    await this.ctx.storage.delete([...open.keys(), ...old]);
  }

  /** A conversation room took a socket of this session; false if the session has ended meanwhile. */
  async sessionOpened(sessionId: string, conversationId: string): Promise<boolean> {
    if (await this.ctx.storage.get(ENDED + sessionId)) return false;
    await this.ctx.storage.put(`${OPEN}${sessionId}:${conversationId}`, Date.now());
    return true;
  }

  /** That socket is gone (its room may still hold others of the session: the room says so only for the last). */
  async sessionClosed(sessionId: string, conversationId: string): Promise<void> {
    await this.ctx.storage.delete(`${OPEN}${sessionId}:${conversationId}`);
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
