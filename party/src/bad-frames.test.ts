import { newId } from "@tandem/protocol";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, joinConversation, say, startVisitor, type Tenant } from "../../scripts/test-kit/clients";
import { messages } from "../../worker/src/db/schema";

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("Frames");
});

async function customerSocket() {
  const visitor = await startVisitor(tenant.publicKey);
  const id = await visitor.createConversation();
  return { id, socket: await joinConversation(id, { token: visitor.token }) };
}

describe("Conversation room: frames it cannot take", () => {
  it("refuses a send with a lone surrogate with an error frame that names it, and the socket goes on", async () => {
    const { id, socket } = await customerSocket();
    const clientMsgId = newId();
    // Written by hand: the escape is what an attacker sends (JSON.stringify would write it the same way).
    socket.send(`{"type":"send","clientMsgId":"${clientMsgId}","body":"t\\ud800"}`);
    const error = await socket.next((f) => f.type === "error");
    expect(error).toMatchObject({ code: "bad_frame", clientMsgId });
    expect(error.message).toMatch(/body: text is not well-formed Unicode/);
    // Not "internal", no 1011 close: the next message goes through on the same socket.
    expect(await say(socket, "a normal message")).toMatchObject({ type: "ack", seq: 1 });
    const stored = await database().select().from(messages).where(eq(messages.conversationId, id));
    expect(stored.map((m) => m.body)).toEqual(["a normal message"]);
    await socket.close();
  });

  it("refuses a huge frame before reading it, and answers other nonsense with bad_frame", async () => {
    const { socket } = await customerSocket();
    socket.send(JSON.stringify({ type: "send", clientMsgId: newId(), body: "x".repeat(900_000) }));
    expect((await socket.next((f) => f.type === "error")).message).toMatch(/frame is longer than 32768 characters/);
    const from = socket.frames.length;
    for (const frame of ["not json", "[]", "null", JSON.stringify({ type: "resume", after: -1 }), JSON.stringify({ type: "nope" })]) socket.send(frame);
    await socket.next((f) => f.type === "error", { from: from + 4 });
    expect(socket.frames.slice(from).map((f) => f.code)).toEqual(Array(5).fill("bad_frame"));
    expect(await say(socket, "still here")).toMatchObject({ type: "ack" });
    await socket.close();
  });

  it("says which message an invalid send was, so the client can show it as not sent", async () => {
    const { socket } = await customerSocket();
    const clientMsgId = newId();
    socket.send({ type: "send", clientMsgId, body: "x".repeat(5001) });
    expect(await socket.next((f) => f.type === "error")).toMatchObject({ code: "bad_frame", clientMsgId, message: expect.stringMatching(/longer than 5000/) });
    await socket.close();
  });
});
