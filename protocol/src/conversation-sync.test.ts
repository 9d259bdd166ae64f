import { describe, expect, it } from "vitest";
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
    sync.receive(JSON.stringify({ type: "history", messages: [message(1, "one"), message(2, "two")], more: false }));
    sync.receive(JSON.stringify({ type: "message", message: message(2, "two") }));
    expect(sync.snapshot().messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it("drops an outbox entry that the replay shows was already stored", () => {
    const outbox = memoryOutbox([{ clientMsgId: "x".repeat(16), body: "sent before the cut", at: 1 }]);
    const sync = new ConversationSync({ parse: parseServerFrame, self, outbox });
    sync.receive(JSON.stringify({ type: "history", messages: [{ ...message(5, "sent before the cut"), clientMsgId: "x".repeat(16) }], more: false }));
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
    sync.receive(JSON.stringify({ type: "history", messages: [message(1, "one")], more: false }));
    sync.receive(JSON.stringify({ type: "message", message: message(3, "three") }));
    sync.receive(JSON.stringify({ type: "message", message: message(4, "four") }));
    expect(sent.filter((f) => f.type === "resume")).toEqual([
      { type: "resume", after: 0 },
      { type: "resume", after: 1 },
    ]);
    sync.receive(JSON.stringify({ type: "history", messages: [message(2, "two"), message(3, "three"), message(4, "four")], more: false }));
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
