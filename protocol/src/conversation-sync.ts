import type { ConversationState } from "./conversation";
import { isRefusal } from "./close-codes";
import type { ClientFrame, ServerFrame } from "./frames";
import { newId } from "./id";
import type { AuthorKind, Message } from "./message";
import type { FrameReading } from "./read-frame";

/**
 * A message written here and not yet acknowledged by the room. `failed`
 * says why the room refused it for good (too long, not well-formed text):
 * it is not sent again; the person edits or removes it.
 */
export type OutboxEntry = { clientMsgId: string; body: string; at: number; failed?: string };

/** Where the outbox lives between page loads (the widget uses localStorage). */
export type OutboxStore = { load(): OutboxEntry[]; save(entries: OutboxEntry[]): void };

export type SyncSnapshot = {
  /** Stored messages, in seq order. */
  messages: Message[];
  /** Written here, waiting for the room's ack, oldest first. */
  pending: OutboxEntry[];
  /** Written here and refused by the room for good, with why (`failed`). */
  failed: OutboxEntry[];
  /** The room has messages older than the first of `messages` that are not here (a resume sends a page). */
  older: boolean;
  /** The room put sends off (too many at once, or busy): they go again by themselves at `until`. */
  waiting: { code: string; until: number } | null;
  conversation: ConversationState | null;
  /** Who else is typing right now. */
  typing: { authorKind: string; name: string | null } | null;
  /** Set when the room refused this client for good (e.g. 4401/4403/4404). */
  refused: { code: string; message: string } | null;
  /** The highest seq each side has read, as the room last said (0: nothing yet). */
  read: { visitor: number; operator: number };
};

export type SyncOptions = {
  /**
   * How a frame's text is read: `parseServerFrame` checks it against the
   * schema; the widget passes `readServerFrame`, which trusts its own server
   * and leaves valibot out of the customer's browser.
   */
  parse: (raw: unknown) => FrameReading;
  /** How this client's own messages are shown once acknowledged. */
  self: { authorKind: AuthorKind; authorId: string | null; authorName: string | null };
  outbox?: OutboxStore;
  onChange?: (snapshot: SyncSnapshot) => void;
  /** Entries the room will never take (the conversation closed before they arrived). */
  onRejected?: (entries: OutboxEntry[], reason: string) => void;
  /** Seq already held from elsewhere (e.g. a page loaded over HTTP); replay starts after it. */
  after?: number;
  /** Every valid frame from the room, after the snapshot took it in (e.g. the dashboard's live `page`). */
  onFrame?: (frame: ServerFrame) => void;
};

type Transport = { send(text: string): void };

/**
 * The client half of the message path, without DOM or sockets: resume from
 * the last seq, keep an outbox until acks arrive, resend it after every
 * reconnect, and never show a message twice. Give it a transport when the
 * socket opens and every frame the socket receives.
 */
export class ConversationSync {
  #messages = new Map<number, Message>();
  #sorted: Message[] = [];
  #lastSeq: number;
  #outbox: OutboxEntry[];
  #transport: Transport | null = null;
  #conversation: ConversationState | null = null;
  #typing: SyncSnapshot["typing"] = null;
  #refused: SyncSnapshot["refused"] = null;
  #read: SyncSnapshot["read"] = { visitor: 0, operator: 0 };
  /** This client's own read mark: the highest asked for, and the highest sent on this connection. */
  #readWanted = 0;
  #readSent = 0;
  /** A replay asked for because a seq went missing; cleared when it arrives. */
  #gapAsked = false;
  #older = false;
  #waiting: SyncSnapshot["waiting"] = null;
  #options: SyncOptions;

  constructor(options: SyncOptions) {
    this.#options = options;
    this.#lastSeq = options.after ?? 0;
    this.#outbox = options.outbox?.load() ?? [];
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  snapshot(): SyncSnapshot {
    return {
      messages: this.#sorted,
      pending: this.#outbox.filter((e) => !e.failed),
      failed: this.#outbox.filter((e) => e.failed),
      older: this.#older,
      waiting: this.#waiting,
      conversation: this.#conversation,
      typing: this.#typing,
      refused: this.#refused,
      read: this.#read,
    };
  }

  /** The socket is open: ask for what was missed, then resend everything unacknowledged. */
  connected(transport: Transport): void {
    this.#transport = transport;
    this.#gapAsked = false;
    this.#write({ type: "resume", after: this.#lastSeq });
    // Put off by the room: the outbox goes when the wait is over, not before.
    if (!this.#waiting) this.#resend();
    this.#readSent = 0;
    this.#sendRead();
  }

  disconnected(code?: number): void {
    this.#transport = null;
    this.#typing = null;
    if (code !== undefined && isRefusal(code)) {
      this.#refused ??= { code: String(code), message: "the room refused this connection" };
    }
    this.#emit();
  }

  /** Queues a message; it is sent now if connected (and not put off), else on the next connect. */
  send(body: string, clientMsgId = newId()): OutboxEntry {
    const entry = { clientMsgId, body, at: Date.now() };
    this.#outbox = [...this.#outbox, entry];
    this.#saveOutbox();
    if (!this.#waiting) this.#write({ type: "send", clientMsgId, body });
    this.#emit();
    return entry;
  }

  /** Takes a failed message out (to remove it, or to put its text back in the box); returns it. */
  discard(clientMsgId: string): OutboxEntry | undefined {
    const entry = this.#outbox.find((e) => e.clientMsgId === clientMsgId && e.failed);
    if (!entry) return undefined;
    this.#outbox = this.#outbox.filter((e) => e !== entry);
    this.#saveOutbox();
    this.#emit();
    return entry;
  }

  typing(typing: boolean): void {
    this.#write({ type: "typing", typing });
  }

  /**
   * This client has seen everything up to `seq`. Sent only when higher than
   * the mark already sent, and again after a reconnect; the room keeps the
   * highest and tells both sides (`snapshot.read`).
   */
  read(seq: number): void {
    if (seq <= this.#readWanted) return;
    this.#readWanted = seq;
    this.#sendRead();
  }

  /** Adds messages read elsewhere (older pages over HTTP); `older` says whether still older ones remain. */
  addMessages(messages: Message[], older = this.#older): void {
    for (const message of messages) this.#add(message);
    this.#older = older;
    this.#emit();
  }

  receive(text: string): void {
    const parsed = this.#options.parse(text);
    if (!parsed.ok) return;
    const frame = parsed.frame;
    switch (frame.type) {
      case "history":
        this.#gapAsked = false;
        if (frame.older) {
          // Messages between what is here and this page were left out: what is here goes, so no gap shows.
          this.#messages.clear();
          this.#sorted = [];
          this.#older = true;
        }
        for (const message of frame.messages) this.#add(message);
        break;
      case "message":
        this.#checkGap(frame.message.seq);
        this.#add(frame.message);
        if (frame.message.authorKind === this.#typing?.authorKind) this.#typing = null;
        break;
      case "ack": {
        this.#checkGap(frame.seq);
        const entry = this.#outbox.find((e) => e.clientMsgId === frame.clientMsgId);
        if (entry) this.#add({ ...this.#options.self, seq: frame.seq, clientMsgId: entry.clientMsgId, kind: "text", body: entry.body, at: frame.at });
        break;
      }
      case "conversation":
        this.#conversation = frame.conversation;
        break;
      case "typing":
        this.#typing = frame.typing ? { authorKind: frame.authorKind, name: frame.name } : null;
        break;
      case "read":
        if (frame.seq > this.#read[frame.by]) this.#read = { ...this.#read, [frame.by]: frame.seq };
        break;
      case "error":
        this.#error(frame.code, frame.message, frame.clientMsgId, frame.frame, frame.retryAfterMs);
        break;
    }
    this.#emit();
    this.#options.onFrame?.(frame);
  }

  #sendRead() {
    if (this.#readWanted <= this.#readSent || !this.#transport) return;
    this.#readSent = this.#readWanted;
    this.#write({ type: "read", seq: this.#readWanted });
  }

  /**
   * Live frames come in seq order, so a seq that skips ahead means one went
   * missing (a commit the room never heard back about, say): ask for a replay.
   */
  #checkGap(seq: number) {
    if (seq > this.#lastSeq + 1 && !this.#gapAsked && this.#transport) {
      this.#gapAsked = true;
      this.#write({ type: "resume", after: this.#lastSeq });
    }
  }

  #add(message: Message) {
    if (message.seq > this.#lastSeq) this.#lastSeq = message.seq;
    const before = this.#outbox.length;
    this.#outbox = this.#outbox.filter((e) => e.clientMsgId !== message.clientMsgId);
    if (this.#outbox.length !== before) this.#saveOutbox();
    if (this.#messages.has(message.seq)) return;
    this.#messages.set(message.seq, message);
    const last = this.#sorted.at(-1);
    this.#sorted = !last || last.seq < message.seq ? [...this.#sorted, message] : [...this.#messages.values()].sort((a, b) => a.seq - b.seq);
  }

  #error(code: string, message: string, clientMsgId?: string, frame?: string, retryAfterMs = 1000) {
    if (code === "rate_limited" || code === "busy") {
      // Put off: a send, and every send after it, goes again in order once the wait is over; a resume, again.
      if (clientMsgId) this.#wait(code, retryAfterMs);
      else if (frame === "resume") setTimeout(() => this.#write({ type: "resume", after: this.#lastSeq }), retryAfterMs);
      return;
    }
    if (clientMsgId && code === "bad_frame") {
      // This message can never be stored as it is: it stays here, marked, for the person to edit or remove.
      this.#outbox = this.#outbox.map((e) => (e.clientMsgId === clientMsgId ? { ...e, failed: message } : e));
      this.#saveOutbox();
    }
    // About one message (closed, or not this sender's to answer): that one is dropped, the rest goes on.
    if (clientMsgId && (code === "closed" || code === "not_allowed")) {
      const rejected = this.#outbox.filter((e) => e.clientMsgId === clientMsgId);
      this.#outbox = this.#outbox.filter((e) => e.clientMsgId !== clientMsgId);
      this.#saveOutbox();
      if (rejected.length) this.#options.onRejected?.(rejected, message);
    } else if (code === "unauthenticated" || code === "forbidden" || code === "not_found") {
      this.#refused = { code, message };
    }
    // "internal": the entry stays in the outbox and goes again on the next connect.
  }

  #wait(code: string, ms: number) {
    if (this.#waiting) return;
    this.#waiting = { code, until: Date.now() + ms };
    setTimeout(() => {
      this.#waiting = null;
      this.#resend();
      this.#emit();
    }, ms);
  }

  /** Everything unacknowledged and not failed, in the order written. */
  #resend() {
    for (const e of this.#outbox) if (!e.failed) this.#write({ type: "send", clientMsgId: e.clientMsgId, body: e.body });
  }

  #write(frame: ClientFrame) {
    if (!this.#transport) return;
    try {
      this.#transport.send(JSON.stringify(frame));
    } catch {
      // The socket died under us; the outbox resends on reconnect.
    }
  }

  #saveOutbox() {
    this.#options.outbox?.save(this.#outbox);
  }

  #emit() {
    this.#options.onChange?.(this.snapshot());
  }
}
