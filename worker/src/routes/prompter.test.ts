import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { PrompterSuggestions } from "@tandem/protocol";
import { botTenant } from "../../../scripts/test-kit/bot-kit";
import { database, joinConversation, say, signIn, startVisitor, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { anonymous, json, member } from "../../../scripts/test-kit/team-kit";
import demo from "../bot/demo/knowledge-base.json";
import { contacts, conversations, intents, suggestionFeedback } from "../db/schema";
import { bumpVersion } from "../knowledge/write";
import { SUGGEST_THRESHOLD } from "../prompter";

// The prompter (D9, B6) on the real stack: suggestions for a customer's latest
// message from the demo knowledge base, and the operator's accept or reject
// re-ranking similar questions for the prompter and for the bot in the rooms.

let x: Tenant;
let y: Tenant;
let operator: Operator;
let stranger: Operator;

const answer = (key: string, lang: "ru" | "uk" | "en") => demo.intents.find((i) => i.key === key)!.answer[lang];
const intentId = async (key: string, tenant = x) =>
  (await database().select({ id: intents.id }).from(intents).where(and(eq(intents.workspaceId, tenant.workspaceId), eq(intents.key, key))))[0].id;
const keyOf = async (id: string) => (await database().select({ key: intents.key }).from(intents).where(eq(intents.id, id)))[0].key;
const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

/** A customer asks in a new conversation; resolves once the bot has had its turn, with its reply. */
async function customerAsks(text: string, tenant = x) {
  const visitor = await startVisitor(tenant.publicKey);
  const id = await visitor.createConversation();
  const socket = await joinConversation(id, { token: visitor.token });
  const from = socket.frames.length;
  const ack = await say(socket, text);
  const reply = await socket.next((f) => f.type === "message" && f.message.authorKind === "bot", { from });
  await socket.close();
  return { id, seq: ack.seq, reply: reply.message.body as string };
}

async function suggestions(id: string, by = operator) {
  const response = await by.request(`/api/ops/prompter/conversations/${id}/suggestions`);
  expect(response.status).toBe(200);
  return (await response.json()) as PrompterSuggestions;
}
const ranked = async (id: string) => Promise.all((await suggestions(id)).suggestions.map((s) => keyOf(s.intentId)));

const feedback = (id: string, body: unknown, by = operator) => by.request(`/api/ops/prompter/conversations/${id}/feedback`, json("POST", body));

beforeAll(async () => {
  [x, y] = await Promise.all([botTenant("Prompter"), botTenant("Prompter other")]);
  operator = await member(x, "operator");
  stranger = await signIn(y.owner.email, y.owner.password);
});

describe("prompter suggestions", () => {
  it("suggests up to three answers for a Russian question, in Russian, best first", async () => {
    const asked = await customerAsks("сколько стоит доставка?");
    const found = await suggestions(asked.id);
    expect(found.question).toEqual({ seq: asked.seq, text: "сколько стоит доставка?" });
    expect(found.suggestions.length).toBeGreaterThanOrEqual(2);
    expect(found.suggestions.length).toBeLessThanOrEqual(3);
    expect(found.suggestions[0]).toMatchObject({ name: "Delivery cost", text: answer("delivery-cost", "ru"), intentId: await intentId("delivery-cost") });
    const confidences = found.suggestions.map((s) => s.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    for (const c of confidences) expect(c).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD);
  });

  it("suggests in English for an English question, and nothing for what the base does not know", async () => {
    const asked = await customerAsks("how much is shipping?");
    const found = await suggestions(asked.id);
    expect(found.suggestions[0]).toMatchObject({ name: "Delivery cost", text: answer("delivery-cost", "en") });

    const mars = await customerAsks("do you sell tickets to Mars?");
    expect((await suggestions(mars.id)).suggestions).toEqual([]);
  });

  it("answers the latest customer message, with the contact's name filled in", async () => {
    const db = database();
    const asked = await customerAsks("hello there");
    const id = await intentId("greeting");
    const [intent] = await db.select({ answers: intents.answers }).from(intents).where(eq(intents.id, id));
    await db.update(intents).set({ answers: { ...intent.answers, en: "Hello, {name}!" } }).where(eq(intents.id, id));
    await bumpVersion(db, x.workspaceId);
    const [row] = await db.select({ contactId: conversations.contactId }).from(conversations).where(eq(conversations.id, asked.id));
    await db.update(contacts).set({ name: "Olena" }).where(eq(contacts.id, row.contactId));
    const found = await suggestions(asked.id);
    expect(found.suggestions[0]).toMatchObject({ intentId: id, text: "Hello, Olena!" });
  });

  it("has no question before the customer writes", async () => {
    const visitor = await startVisitor(x.publicKey);
    const id = await visitor.createConversation();
    expect(await suggestions(id)).toEqual({ question: null, suggestions: [] });
  });

  it("is 404 for another workspace's conversation and 401 when not signed in", async () => {
    const asked = await customerAsks("сколько стоит доставка?");
    const response = await stranger.request(`/api/ops/prompter/conversations/${asked.id}/suggestions`);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found");
    expect((await anonymous(`/api/ops/prompter/conversations/${asked.id}/suggestions`)).status).toBe(401);
    expect((await operator.request(`/api/ops/prompter/conversations/nope/suggestions`)).status).toBe(404);
  });
});

describe("prompter feedback", () => {
  it("a reject sinks that intent for similar questions, in the prompter and for the bot", async () => {
    const similar = "а сколько стоит доставка в Киев?";
    // Before: the bot answers the similar question with the delivery cost, and the prompter puts it first.
    const before = await customerAsks(similar);
    expect(before.reply).toBe(answer("delivery-cost", "ru"));
    expect((await ranked(before.id))[0]).toBe("delivery-cost");

    const asked = await customerAsks("сколько стоит доставка?");
    const top = (await suggestions(asked.id)).suggestions[0];
    expect(await keyOf(top.intentId)).toBe("delivery-cost");
    const response = await feedback(asked.id, { intentId: top.intentId, question: "сколько стоит доставка?", suggestion: top.text, accepted: false });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const [row] = await database().select().from(suggestionFeedback).where(eq(suggestionFeedback.id, id));
    expect(row).toMatchObject({
      workspaceId: x.workspaceId,
      conversationId: asked.id,
      intentId: top.intentId,
      operatorId: operator.id,
      accepted: false,
      suggestion: top.text,
      question: "сколько стоит доставка?",
    });

    // After: no longer first for the similar question, and the bot in a new room no longer answers with it.
    expect((await ranked(before.id))[0]).not.toBe("delivery-cost");
    const after = await customerAsks(similar);
    expect(after.reply).not.toBe(answer("delivery-cost", "ru"));
  });

  it("an accept lifts that intent to first for a similar question where it was not", async () => {
    // "send it to my house" leads the knowledge base to a change of address; the operator knows it asks the delivery's cost.
    const similar = await customerAsks("how much to send it to my house?");
    const before = await ranked(similar.id);
    expect(before).toContain("delivery-cost");
    expect(before[0]).not.toBe("delivery-cost");

    const asked = await customerAsks("how much to send it to my home");
    const chosen = (await suggestions(asked.id)).suggestions.find((s) => s.name === "Delivery cost")!;
    expect(chosen).toBeDefined();
    const response = await feedback(asked.id, { intentId: chosen.intentId, question: "how much to send it to my home", suggestion: chosen.text, accepted: true });
    expect(response.status).toBe(201);

    expect((await ranked(similar.id))[0]).toBe("delivery-cost");
  });

  it("refuses bad bodies, unknown intents and other workspaces", async () => {
    const asked = await customerAsks("где мой заказ?");
    const good = { intentId: await intentId("order-status"), question: "где мой заказ?", suggestion: "…", accepted: true };
    const count = async () => (await database().select().from(suggestionFeedback).where(eq(suggestionFeedback.conversationId, asked.id))).length;

    for (const [body, message] of [
      [{ ...good, accepted: "yes" }, "accepted must be true or false"],
      [{ ...good, intentId: undefined }, "intentId"],
      [{ ...good, question: "  " }, "question is required"],
      [{ ...good, suggestion: "x".repeat(5001) }, "suggestion is longer than 5000 characters"],
      [{ ...good, question: "x".repeat(5001) }, "question is longer than 5000 characters"],
      ["not an object", null],
    ] as const) {
      const response = await feedback(asked.id, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const error = await errorOf(response);
      if (message) expect(error.message).toContain(message);
    }
    const bad = await operator.request(`/api/ops/prompter/conversations/${asked.id}/feedback`, { method: "POST", body: "{nope" });
    expect(bad.status).toBe(400);

    const unknown = await feedback(asked.id, { ...good, intentId: "01NOSUCHINTENT" });
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).message).toBe("no such intent");
    // Another workspace's intent is unknown here, and this workspace's conversation unknown there.
    expect((await feedback(asked.id, { ...good, intentId: await intentId("order-status", y) })).status).toBe(404);
    const theirs = await feedback(asked.id, { ...good, intentId: await intentId("order-status", y) }, stranger);
    expect(theirs.status).toBe(404);
    expect((await errorOf(theirs)).message).toBe("no such conversation");
    expect((await anonymous(`/api/ops/prompter/conversations/${asked.id}/feedback`, { method: "POST", json: good })).status).toBe(401);
    expect(await count()).toBe(0);
  });
});
