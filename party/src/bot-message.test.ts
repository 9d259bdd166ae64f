import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotWorker } from "../../scripts/test-kit/bot-worker";
import { createTenant, database, until, type Tenant } from "../../scripts/test-kit/clients";
import { connectConversation } from "../../scripts/test-kit/party-client";
import { messages } from "../../worker/src/db/schema";

// The bot posts through the room's RPC, which only code inside the Worker can
// call: this file runs the real Worker with one extra test route in front
// (scripts/test-kit/bot-test-worker.ts, see the test kit's bot-worker), on the run's sqld, and
// checks what a widget receives.

let url: string;
let bot: Awaited<ReturnType<typeof startBotWorker>>;
let tenant: Tenant;

beforeAll(async () => {
  bot = await startBotWorker();
  url = bot.url;
  tenant = await createTenant("Bot");
});

afterAll(async () => {
  await bot?.stop();
});

async function customer() {
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const { token, visitorId } = (await (await post("/api/widget/session", { siteKey: tenant.publicKey })).json()) as Record<string, string>;
  const created = (await (await post("/api/widget/conversations", {}, token)).json()) as { conversation: { id: string } };
  const id = created.conversation.id;
  const link = connectConversation({
    host: new URL(url).host,
    conversationId: id,
    token,
    self: { authorKind: "visitor", authorId: visitorId, authorName: null },
  });
  await until(() => link.sync.snapshot().conversation !== null, 10_000, () => "the room never said the state");
  return { id, token, link, close: () => post(`/api/widget/conversations/${id}/close`, {}, token) };
}

function postBot(conversationId: string, message: unknown, workspaceId = tenant.workspaceId) {
  return bot.postBot(workspaceId, conversationId, message);
}

const buttons = [
  { label: "Where is my order?", intent: "order-status" },
  { label: "Returns", intent: "returns" },
  { label: "Talk to a person", operator: true },
];

describe("bot messages with quick replies", () => {
  it("reach the widget's ConversationSync live and after a reconnect, buttons and all", async () => {
    const { id, token, link } = await customer();
    const result = await postBot(id, { body: "Hi! What can I help you with?", buttons });
    expect(result).toMatchObject({ ok: true, duplicate: false, message: { seq: 1, authorKind: "bot", buttons } });

    await until(() => link.sync.snapshot().messages.length === 1, 10_000, () => JSON.stringify(link.sync.snapshot()));
    expect(link.sync.snapshot().messages[0]).toMatchObject({ authorKind: "bot", body: "Hi! What can I help you with?", buttons });
    // The bot keeps the conversation: it does not go to the queue.
    expect(link.sync.snapshot().conversation).toMatchObject({ status: "bot", queuePosition: null });

    const [row] = await database().select().from(messages).where(eq(messages.conversationId, id));
    expect(row.meta).toEqual({ buttons });
    link.close();

    // A widget loading the conversation later gets the same from the history.
    const again = connectConversation({
      host: new URL(url).host,
      conversationId: id,
      token,
      self: { authorKind: "visitor", authorId: null, authorName: null },
    });
    await until(() => again.sync.snapshot().messages.length === 1, 10_000, () => "no history");
    expect(again.sync.snapshot().messages[0].buttons).toEqual(buttons);
    again.close();
  });

  it("stores a repeated clientMsgId once, and a message without buttons has none", async () => {
    const { id, link } = await customer();
    const clientMsgId = "01J000000000000000000BOT01";
    const first = await postBot(id, { clientMsgId, body: "Plain answer" });
    const again = await postBot(id, { clientMsgId, body: "Plain answer" });
    expect(again).toMatchObject({ ok: true, duplicate: true, message: { seq: first.message.seq } });
    expect(first.message).not.toHaveProperty("buttons");
    await until(() => link.sync.snapshot().messages.length === 1, 10_000, () => "no message");
    expect(await database().select().from(messages).where(eq(messages.conversationId, id))).toHaveLength(1);
    link.close();
  });

  it("refuses bad input, another workspace and a closed conversation", async () => {
    const { id, link, close } = await customer();
    const bad: Array<[unknown, RegExp]> = [
      [{ body: "   " }, /empty/],
      [{ body: "hi", buttons: [{ intent: "x" }] }, /label|string/i],
      [{ body: "hi", buttons: Array.from({ length: 11 }, (_, i) => ({ label: `b${i}` })) }, /at most 10/],
      [{ body: "hi", clientMsgId: "<script>" }, /clientMsgId/],
    ];
    for (const [message, text] of bad) {
      const result = await postBot(id, message);
      expect(result).toMatchObject({ ok: false, status: 400, code: "bad_request" });
      expect(result.message).toMatch(text);
    }
    const other = await createTenant("Other bot");
    expect(await postBot(id, { body: "hi" }, other.workspaceId)).toMatchObject({ ok: false, status: 403, code: "forbidden" });
    expect((await close()).status).toBe(200);
    expect(await postBot(id, { body: "too late" })).toMatchObject({ ok: false, status: 409, code: "closed" });
    const bodies = (await database().select().from(messages).where(eq(messages.conversationId, id))).map((m) => m.body);
    expect(bodies).toEqual(["The conversation was closed"]);
    link.close();
  });
});
