import { newId } from "@tandem/protocol";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTenant, database, joinConversation, startVisitor, until, type TestSocket } from "../../scripts/test-kit/clients";
import { messages } from "../../worker/src/db/schema";

// 100 customers, each in a conversation of their own, write at the same
// moment through the Worker into their rooms, which all write to the one
// libSQL. With sqld's default of 128 connections, 50 writers were enough to
// stall it and get SQLITE_BUSY back; the local sqld now holds two.

const WRITERS = Number(process.env.TANDEM_WRITERS ?? 100);
const EACH = 5;

type Writer = { conversationId: string; socket: TestSocket; sent: { clientMsgId: string; body: string }[] };

describe("many writers at once", () => {
  it(`stores every message of ${WRITERS} customers writing at the same moment, each once and in order`, async () => {
    const tenant = await createTenant("Writers");
    const writers: Writer[] = await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        const visitor = await startVisitor(tenant.publicKey);
        const conversationId = await visitor.createConversation();
        const socket = await joinConversation(conversationId, { token: visitor.token });
        return { conversationId, socket, sent: [] };
      }),
    );

    // Every socket is live: now all of them send all their messages, with no await in between.
    const started = performance.now();
    for (const writer of writers) {
      for (let i = 0; i < EACH; i++) {
        const message = { clientMsgId: newId(), body: `writer ${writer.conversationId} message ${i}` };
        writer.sent.push(message);
        writer.socket.send({ type: "send", ...message });
      }
    }

    const answer = (writer: Writer, clientMsgId: string) =>
      writer.socket.frames.find((f) => f.clientMsgId === clientMsgId && (f.type === "ack" || f.type === "error"));
    const unanswered = () => writers.reduce((n, w) => n + w.sent.filter((m) => !answer(w, m.clientMsgId)).length, 0);
    // A room that fails to store ends the socket (1011), and drops what that socket sent after: no answer will come.
    const closes: number[] = [];
    for (const writer of writers) writer.socket.ws.once("close", (code) => closes.push(code));
    await until(() => unanswered() === 0 || closes.length > 0, 240_000, () => `${unanswered()} of ${WRITERS * EACH} messages not answered`);
    expect(closes, `sockets closed, ${unanswered()} messages not answered`).toEqual([]);
    console.log(`${WRITERS} writers × ${EACH} messages: all answered in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // Every message acked (no error, no "busy"), and each writer's acks come in the order it sent.
    const refused = writers.flatMap((w) => w.sent.map((m) => answer(w, m.clientMsgId)!).filter((f) => f.type !== "ack"));
    expect(refused).toEqual([]);
    for (const writer of writers) {
      const seqs = writer.sent.map((m) => answer(writer, m.clientMsgId)!.seq as number);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(EACH);
    }

    // Stored exactly once each, in the order sent, with the seq its ack said.
    const ids = writers.map((w) => w.conversationId);
    const rows = await database()
      .select({ conversationId: messages.conversationId, seq: messages.seq, clientMsgId: messages.clientMsgId, body: messages.body })
      .from(messages)
      .where(and(inArray(messages.conversationId, ids), eq(messages.authorKind, "visitor")))
      .orderBy(messages.conversationId, messages.seq);
    expect(rows).toHaveLength(WRITERS * EACH);
    for (const writer of writers) {
      const stored = rows.filter((r) => r.conversationId === writer.conversationId);
      expect(stored.map((r) => r.body)).toEqual(writer.sent.map((m) => m.body));
      expect(stored.map((r) => r.clientMsgId)).toEqual(writer.sent.map((m) => m.clientMsgId));
      expect(stored.map((r) => r.seq)).toEqual(writer.sent.map((m) => answer(writer, m.clientMsgId)!.seq));
    }

    await Promise.all(writers.map((w) => w.socket.close()));
  }, 300_000);
});
