import { describe, expect, it, vi } from "vitest";
import { ConversationSync, type OutboxEntry } from "./conversation-sync";
import { parseServerFrame } from "./frames";
import type { Message } from "./message";

const self = { authorKind: "visitor" as const, authorId: "v1", authorName: null };

function message(seq: number, body: string, clientMsgId = `c${seq}`.padEnd(16, "0")): Message {
  return { seq, clientMsgId, authorKind: "operator", authorId: "o1", authorName: "Ann", kind: "text", body, at: seq };
}

function memoryOutbox(initial: OutboxEntry[] = []) {
  let saved = initial;
  return { load: () => saved, save: (entries: OutboxEntry[]) => (saved = entries), get: () => saved };
}

function wire() {
  const sent: Array<Record<string, unknown>> = [];
  return { sent, transport: { send: (text: string) => sent.push(JSON.parse(text)) } };
}

describe("ConversationSync", () => {
  it("resumes from the last seq it holds, then resends the outbox in order", () => {
    const outbox = memoryOutbox([
      { clientMsgId: "a".repeat(16), body: "first", at: 1 },
      { clientMsgId: "b".repeat(16), body: "second", at: 2 },
    ]);
    const sync = new ConversationSync({ parse: parseServerFrame, self, outbox, after: 7 });
    const { sent, transport } = wire();
    sync.connected(transport);
    expect(sent).toEqual([
      { type: "resume", after: 7 },
      { type: "send", clientMsgId: "a".repeat(16), body: "first" },
      { type: "send", clientMsgId: "b".repeat(16), body: "second" },
    ]);
  });

  it("keeps a message pending until its ack, then shows it at its seq", () => {
    const outbox = memoryOutbox();
    const sync = new ConversationSync({ parse: parseServerFrame, self, outbox });
    const { transport } = wire();
    sync.connected(transport);
    const entry = sync.send("hello");
    expect(sync.snapshot().pending).toEqual([entry]);
    expect(outbox.get()).toEqual([entry]);
    sync.receive(JSON.stringify({ type: "ack", clientMsgId: entry.clientMsgId, seq: 3, at: 99 }));
    expect(sync.snapshot().pending).toEqual([]);
    expect(outbox.get()).toEqual([]);
    expect(sync.snapshot().messages).toMatchObject([{ seq: 3, body: "hello", authorKind: "visitor" }]);
    expect(sync.lastSeq).toBe(3);
  });

  it("shows each seq once however often it arrives, in seq order", () => {
    const sync = new ConversationSync({ parse: parseServerFrame, self });
    sync.receive(JSON.stringify({ type: "message", message: message(2, "two") }));
    sync.receive(JSON.stringify({ type: "history", messages: [message(1, "one"), message(2, "two")], older: false }));
    sync.receive(JSON.stringify({ type: "message", message: message(2, "two") }));
    expect(sync.snapshot().messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it("drops an outbox entry that the replay shows was already stored", () => {
    const outbox = memoryOutbox([{ clientMsgId: "x".repeat(16), body: "sent before the cut", at: 1 }]);
    const sync = new ConversationSync({ parse: parseServerFrame, self, outbox });
    sync.receive(JSON.stringify({ type: "history", messages: [{ ...message(5, "sent before the cut"), clientMsgId: "x".repeat(16) }], older: false }));
    expect(outbox.get()).toEqual([]);
  });

  it("hands back what a closed conversation refused, and keeps what failed for another reason", () => {
    const rejected: OutboxEntry[] = [];
    const sync = new ConversationSync({ parse: parseServerFrame, self, onRejected: (entries) => rejected.push(...entries) });
    const a = sync.send("to a closed room");
    const b = sync.send("hit a server error");
    sync.receive(JSON.stringify({ type: "error", code: "closed", message: "conversation is closed", clientMsgId: a.clientMsgId }));
    sync.receive(JSON.stringify({ type: "error", code: "internal", message: "oops", clientMsgId: b.clientMsgId }));
    expect(rejected).toEqual([a]);
    expect(sync.snapshot().pending).toEqual([b]);
  });

  it("asks for a replay when a live seq skips ahead, once, and fills the gap from it", () => {
    const sync = new ConversationSync({ parse: parseServerFrame, self });
    const { sent, transport } = wire();
    sync.connected(transport);
    sync.receive(JSON.stringify({ type: "history", messages: [message(1, "one")], older: false }));
    sync.receive(JSON.stringify({ type: "message", message: message(3, "three") }));
    sync.receive(JSON.stringify({ type: "message", message: message(4, "four") }));
    expect(sent.filter((f) => f.type === "resume")).toEqual([
      { type: "resume", after: 0 },
      { type: "resume", after: 1 },
    ]);
    sync.receive(JSON.stringify({ type: "history", messages: [message(2, "two"), message(3, "three"), message(4, "four")], older: false }));
    expect(sync.snapshot().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    sync.receive(JSON.stringify({ type: "message", message: message(5, "five") }));
    expect(sent.filter((f) => f.type === "resume")).toHaveLength(2);
  });

  it("ignores frames that are not in the contract", () => {
    const sync = new ConversationSync({ parse: parseServerFrame, self });
    for (const text of ["nonsense", "{}", JSON.stringify({ type: "message", message: { seq: "1" } }), JSON.stringify({ type: "ack" })]) {
      sync.receive(text);
    }
    expect(sync.snapshot().messages).toEqual([]);
  });

  it("marks a refused connection so the client stops retrying", () => {
    const sync = new ConversationSync({ parse: parseServerFrame, self });
    sync.disconnected(4403);
    expect(sync.snapshot().refused).not.toBeNull();
    const other = new ConversationSync({ parse: parseServerFrame, self });
    other.disconnected(1006);
    expect(other.snapshot().refused).toBeNull();
  });

  it("queues while offline and sends nothing until connected", () => {
    const sync = new ConversationSync({ parse: parseServerFrame, self });
    const { sent, transport } = wire();
    sync.send("typed offline");
    expect(sent).toEqual([]);
    sync.connected(transport);
    expect(sent.map((f) => f.type)).toEqual(["resume", "send"]);
  });
});

describe("ConversationSync: read marks, queue place, quick replies", () => {
  it("sends a read mark only when it rises, and again after a reconnect", () => {
    const sync = new ConversationSync({ parse: parseServerFrame, self });
    const first = wire();
    sync.read(3); // not connected yet: remembered
    sync.connected(first.transport);
    sync.read(2);
    sync.read(3);
    sync.read(5);
    expect(first.sent.filter((f) => f.type === "read")).toEqual([
      { type: "read", seq: 3 },
      { type: "read", seq: 5 },
    ]);
    sync.disconnected(1006);
    const second = wire();
    sync.connected(second.transport);
    expect(second.sent).toEqual([{ type: "resume", after: 0 }, { type: "read", seq: 5 }]);
  });

  it("shows each side's read mark as the room says it, never going down", () => {
    const sync = new ConversationSync({ parse: parseServerFrame, self });
    expect(sync.snapshot().read).toEqual({ visitor: 0, operator: 0 });
    sync.receive(JSON.stringify({ type: "read", by: "operator", seq: 4 }));
    sync.receive(JSON.stringify({ type: "read", by: "visitor", seq: 2 }));
    sync.receive(JSON.stringify({ type: "read", by: "operator", seq: 3 }));
    expect(sync.snapshot().read).toEqual({ visitor: 2, operator: 4 });
    sync.receive(JSON.stringify({ type: "read", by: "nobody", seq: 9 }));
    expect(sync.snapshot().read).toEqual({ visitor: 2, operator: 4 });
  });

  it("carries the queue place and a bot message's buttons", () => {
    const seen: string[] = [];
    const sync = new ConversationSync({ parse: parseServerFrame, self, onFrame: (frame) => seen.push(frame.type) });
    const conversation = { id: "c1", status: "queued", assignee: null, lastSeq: 1, queuePosition: 2 };
    sync.receive(JSON.stringify({ type: "conversation", conversation }));
    expect(sync.snapshot().conversation?.queuePosition).toBe(2);
    const buttons = [{ label: "Track my order", intent: "track" }, { label: "Talk to a person", operator: true }];
    sync.receive(JSON.stringify({ type: "message", message: { ...message(1, "How can I help?"), authorKind: "bot", buttons } }));
    expect(sync.snapshot().messages[0].buttons).toEqual(buttons);
    sync.receive(JSON.stringify({ type: "page", url: "https://shop.example/", title: null, at: 5 }));
    expect(seen).toEqual(["conversation", "message", "page"]);
  });
});

describe("ConversationSync: refusals, waits and pages", () => {
  it("keeps a message the room put off, and every one after it, and sends them again in order after the wait", () => {
    vi.useFakeTimers();
    try {
      const outbox = memoryOutbox();
      const sync = new ConversationSync({ parse: parseServerFrame, self, outbox });
      const { sent, transport } = wire();
      sync.connected(transport);
      const a = sync.send("one");
      const b = sync.send("two");
      sync.receive(JSON.stringify({ type: "error", code: "rate_limited", message: "too many", clientMsgId: a.clientMsgId, retryAfterMs: 3000 }));
      sync.receive(JSON.stringify({ type: "error", code: "rate_limited", message: "too many", clientMsgId: b.clientMsgId, retryAfterMs: 2990 }));
      const c = sync.send("three");
      expect(sync.snapshot().pending).toEqual([a, b, c]);
      expect(sync.snapshot().waiting).toMatchObject({ code: "rate_limited" });
      // Nothing goes while the room asked to wait: not the new one, not on a reconnect.
      sync.disconnected(1006);
      const again = wire();
      sync.connected(again.transport);
      expect(sent.filter((f) => f.type === "send")).toHaveLength(2);
      expect(again.sent.map((f) => f.type)).toEqual(["resume"]);
      vi.advanceTimersByTime(3000);
      expect(again.sent.filter((f) => f.type === "send").map((f) => f.body)).toEqual(["one", "two", "three"]);
      expect(sync.snapshot().waiting).toBeNull();
      expect(outbox.get()).toEqual([a, b, c]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("marks a message the room refused for good as failed, never sends it again, and lets it be taken out", () => {
    const outbox = memoryOutbox();
    const sync = new ConversationSync({ parse: parseServerFrame, self, outbox });
    const { sent, transport } = wire();
    sync.connected(transport);
    const bad = sync.send("x");
    const good = sync.send("fine");
    sync.receive(JSON.stringify({ type: "error", code: "bad_frame", message: "body: text is not well-formed Unicode", clientMsgId: bad.clientMsgId }));
    expect(sync.snapshot().failed).toEqual([{ ...bad, failed: "body: text is not well-formed Unicode" }]);
    expect(sync.snapshot().pending).toEqual([good]);
    // It survives a reload (the outbox keeps it, marked) and is not resent on reconnect.
    const reloaded = new ConversationSync({ parse: parseServerFrame, self, outbox });
    const second = wire();
    reloaded.connected(second.transport);
    expect(second.sent.filter((f) => f.type === "send").map((f) => f.body)).toEqual(["fine"]);
    expect(reloaded.discard(good.clientMsgId)).toBeUndefined();
    expect(reloaded.discard(bad.clientMsgId)?.body).toBe("x");
    expect(reloaded.snapshot().failed).toEqual([]);
    expect(outbox.get()).toEqual([good]);
    expect(sent.filter((f) => f.type === "send")).toHaveLength(2);
  });

  it("asks again for a resume the room put off, after the wait", () => {
    vi.useFakeTimers();
    try {
      const sync = new ConversationSync({ parse: parseServerFrame, self, after: 4 });
      const { sent, transport } = wire();
      sync.connected(transport);
      sync.receive(JSON.stringify({ type: "error", code: "rate_limited", message: "too many", frame: "resume", retryAfterMs: 500 }));
      vi.advanceTimersByTime(499);
      expect(sent.filter((f) => f.type === "resume")).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(sent.filter((f) => f.type === "resume")).toEqual([{ type: "resume", after: 4 }, { type: "resume", after: 4 }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("shows a page that skipped older messages without a gap, and takes older pages in", () => {
    const sync = new ConversationSync({ parse: parseServerFrame, self });
    sync.receive(JSON.stringify({ type: "history", messages: [message(1, "one"), message(2, "two")], older: false }));
    expect(sync.snapshot().older).toBe(false);
    // Back after a long time away: the room sent only the newest page.
    sync.receive(JSON.stringify({ type: "history", messages: [message(150, "a"), message(151, "b")], older: true }));
    expect(sync.snapshot().messages.map((m) => m.seq)).toEqual([150, 151]);
    expect(sync.snapshot().older).toBe(true);
    expect(sync.lastSeq).toBe(151);
    sync.addMessages([message(148, "y"), message(149, "z")], true);
    sync.addMessages([message(1, "one")], false);
    expect(sync.snapshot().messages.map((m) => m.seq)).toEqual([1, 148, 149, 150, 151]);
    expect(sync.snapshot().older).toBe(false);
  });
});
