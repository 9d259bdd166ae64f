import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { setBot, botTenant } from "../../scripts/test-kit/bot-kit";
import { database, joinConversation, say, signIn, startVisitor, type Operator, type Tenant, type TestSocket } from "../../scripts/test-kit/clients";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { contacts, conversations, events, groups, messages, sites, unanswered, workspaces } from "../../worker/src/db/schema";

// The bot in the room (B1–B4, B7, A5) with the demo knowledge base: answers
// with buttons, steps aside with a reason and "an operator is on the way",
// greets in the operator's name, collects fields, takes offline requests,
// closes after silence with a reminder, and scores the customer's mood.

let tenant: Tenant;
let agent: Operator;

const NEVER = { timeZone: "Europe/Kyiv", days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };

beforeAll(async () => {
  tenant = await botTenant("Bot rooms");
  agent = await signIn(tenant.agent.email, tenant.agent.password);
});

async function customer(siteKey = tenant.publicKey) {
  const visitor = await startVisitor(siteKey);
  const id = await visitor.createConversation();
  const socket = await joinConversation(id, { token: visitor.token });
  return { id, visitor, socket };
}

/** The customer writes; resolves with the bot's next message. */
async function ask(socket: TestSocket, text: string) {
  const from = socket.frames.length;
  await say(socket, text);
  const frame = await socket.next((f) => f.type === "message" && f.message.authorKind === "bot", { from });
  return frame.message as { body: string; buttons?: { label: string; intent?: string; operator?: boolean }[]; seq: number };
}

async function row(id: string) {
  const [found] = await database().select().from(conversations).where(eq(conversations.id, id));
  return found!;
}

async function reasons(id: string) {
  const rows = await database().select({ type: events.type, data: events.data }).from(events).where(and(eq(events.conversationId, id), eq(events.type, "escalated")));
  return rows.map((r) => (r.data as { reason: string }).reason);
}

describe("the bot in a conversation", () => {
  it("answers a Russian FAQ with its buttons, and a tapped button with that intent", async () => {
    const { id, socket } = await customer();
    const hello = await ask(socket, "Здравствуйте!");
    expect(hello.body).toContain("Я бот магазина");
    expect(hello.buttons).toContainEqual({ label: "Где мой заказ?", intent: "order-status" });
    expect(hello.buttons?.some((b) => b.operator)).toBe(true);
    const cost = await ask(socket, "сколько стоит доставка?");
    expect(cost.body).toMatch(/доставк/i);
    const tapped = await ask(socket, "Где мой заказ?");
    expect(tapped.body).toMatch(/номер заказа/i);
    expect((await row(id)).status).toBe("bot");
    await socket.close();
  });

  it("answers a Ukrainian question with a typo in Ukrainian", async () => {
    const { socket } = await customer();
    const answer = await ask(socket, "скільки коштуе доставка?");
    expect(answer.body).toMatch(/доставк/i);
    expect(answer.body).toMatch(/[іїє]/);
    await socket.close();
  });

  it("steps aside on a complaint with the reason, says an operator is on the way, and greets in the operator's name", async () => {
    const { id, socket } = await customer();
    const onTheWay = await ask(socket, "Это ужасный сервис, буду жаловаться");
    expect(onTheWay.body).toBe("Передаю вас коллеге: оператор скоро подключится.");
    await socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    expect(await reasons(id)).toEqual(["complaint"]);

    const from = socket.frames.length;
    expect((await agent.request(`/api/ops/conversations/${id}/claim`, { method: "POST" })).status).toBe(200);
    const greeting = await socket.next((f) => f.type === "message" && f.message.authorKind === "bot", { from });
    expect(greeting.message.body).toBe(`Здравствуйте, меня зовут ${tenant.agent.name}. Я прочитал(а) переписку. Что случилось?`);
    // The bot never answers while an operator has the conversation.
    const quiet = socket.frames.length;
    await say(socket, "сколько стоит доставка?");
    await new Promise((r) => setTimeout(r, 700));
    expect(socket.frames.slice(quiet).filter((f) => f.type === "message" && f.message.authorKind === "bot")).toEqual([]);
    await socket.close();
  });

  it("hands over a question it cannot answer, lists it as unanswered, and queues it in the intent's group after two failed answers", async () => {
    const unknown = await customer();
    await ask(unknown.socket, "а вы продаёте билеты на Марс?");
    await unknown.socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    expect((await reasons(unknown.id))[0]).toMatch(/^low confidence/);
    const listed = await database().select().from(unanswered).where(eq(unanswered.conversationId, unknown.id));
    expect(listed).toMatchObject([{ text: "а вы продаёте билеты на Марс?", reason: "low_confidence", lang: "ru", handledAt: null }]);
    await unknown.socket.close();

    const { id, socket } = await customer();
    await ask(socket, "какие способы оплаты есть?");
    const again = await ask(socket, "а как можно оплатить?");
    expect(again.body).toMatch(/^Жаль, что не помогло/);
    await ask(socket, "способы оплаты");
    await socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    expect(await reasons(id)).toEqual(["two failed answers in a row"]);
    // Queued in the intent's group, and the routing log says so.
    const [sales] = await database().select({ id: groups.id }).from(groups).where(and(eq(groups.workspaceId, tenant.workspaceId), eq(groups.name, "Sales")));
    expect((await row(id)).groupId).toBe(sales.id);
    const routed = await database().select({ data: events.data }).from(events).where(and(eq(events.conversationId, id), eq(events.type, "routed")));
    expect(routed.map((r) => (r.data as { reason: string }).reason)).toEqual(['queued in Sales: the bot\'s intent "Payment methods"']);
    await socket.close();
  });

  it("collects an order number with validation and keeps it on the contact (B7)", async () => {
    const { id, socket } = await customer();
    expect((await ask(socket, "где мой заказ?")).body).toMatch(/номер заказа/i);
    // What the bot is in the middle of lives in libSQL, not in the room: any room can go on with it.
    expect((await row(id)).botState).toMatchObject({ lang: "ru", collecting: { index: 0 } });
    expect((await ask(socket, "не помню")).body).toContain("Это не похоже на номер заказа");
    const answer = await ask(socket, "#10423");
    expect(answer.body).not.toContain("не похоже");
    expect((await row(id)).botState).toMatchObject({ collecting: null });
    const [contact] = await database()
      .select({ attributes: contacts.attributes })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(eq(conversations.id, id));
    expect(contact.attributes).toMatchObject({ order: "10423" });
    await socket.close();
  });

  it("outside the operators' hours asks for an e-mail and leaves an offline request in the queue", async () => {
    const closed = await botTenant("Bot at night");
    const never = { timeZone: "Europe/Kyiv", days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
    await database().update(sites).set({ workingHours: never }).where(eq(sites.id, closed.siteId));
    const { id, socket } = await customer(closed.publicKey);
    expect((await ask(socket, "What is the delivery time?")).body).toMatch(/deliver/i);
    expect((await ask(socket, "I want to talk to a human")).body).toContain("Leave your e-mail or phone");
    expect((await ask(socket, "tomorrow")).body).toContain("doesn't look like an e-mail");
    expect((await ask(socket, "write to night.owl@example.com please")).body).toBe("Thank you! We'll reply to night.owl@example.com as soon as we're back.");
    await socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    expect(await row(id)).toMatchObject({ offlineRequest: true, status: "queued" });
    // The inbox marks it for the operators who come back.
    const owner = await signIn(closed.owner.email, closed.owner.password);
    const inbox = (await (await owner.request("/api/ops/inbox")).json()) as { conversations: { id: string; offlineRequest?: boolean }[] };
    expect(inbox.conversations.find((c) => c.id === id)).toMatchObject({ offlineRequest: true });
    const [contact] = await database().select({ email: contacts.email }).from(conversations).innerJoin(contacts, eq(contacts.id, conversations.contactId)).where(eq(conversations.id, id));
    expect(contact.email).toBe("night.owl@example.com");
    await socket.close();
  });

  it("closes after the customer's silence with a reminder first, and a customer message puts the timer off", async () => {
    const quiet = await botTenant("Bot idle", { idleCloseMinutes: 0.04, reminderMinutes: 0.02 });
    const owner = await signIn(quiet.owner.email, quiet.owner.password);
    const { id, socket } = await customer(quiet.publicKey);
    await ask(socket, "хочу поговорить с оператором");
    expect((await owner.request(`/api/ops/conversations/${id}/claim`, { method: "POST" })).status).toBe(200);
    const operator = await joinConversation(id, { cookie: owner.cookie });
    await say(operator, "Слушаю вас");
    // Silence: first the reminder (about 1.2 s), then the close (about 2.4 s).
    const reminder = await socket.next((f) => f.type === "message" && f.message.authorKind === "bot" && f.message.body.startsWith("Вы ещё здесь?"), { timeoutMs: 15_000 });
    expect(reminder.message.body).toContain("Закрою чат через");
    await socket.next((f) => f.type === "conversation" && f.conversation.status === "closed", { timeoutMs: 15_000 });
    expect(socket.frames.some((f) => f.type === "message" && f.message.body.startsWith("Закрыл чат"))).toBe(true);

    // Another one where the customer answers in time: no reminder, still open.
    const second = await customer(quiet.publicKey);
    await ask(second.socket, "оператора позовите");
    expect((await owner.request(`/api/ops/conversations/${second.id}/claim`, { method: "POST" })).status).toBe(200);
    const op2 = await joinConversation(second.id, { cookie: owner.cookie });
    await say(op2, "Да?");
    await say(second.socket, "Минутку, ищу номер");
    await new Promise((r) => setTimeout(r, 3500));
    expect(second.socket.frames.some((f) => f.type === "message" && f.message.body.startsWith("Вы ещё здесь?"))).toBe(false);
    expect((await row(second.id)).status).toBe("assigned");
    await Promise.all([socket.close(), operator.close(), second.socket.close(), op2.close()]);
  });

  it("never reminds or closes a customer who waits in the queue, an offline request neither", async () => {
    const quiet = await botTenant("Bot idle queue", { idleCloseMinutes: 0.04, reminderMinutes: 0.02 });
    const waiting = await customer(quiet.publicKey);
    await ask(waiting.socket, "хочу поговорить с оператором");
    await waiting.socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    const night = await botTenant("Bot idle night", { idleCloseMinutes: 0.04, reminderMinutes: 0.02 });
    await database().update(sites).set({ workingHours: NEVER }).where(eq(sites.id, night.siteId));
    const offline = await customer(night.publicKey);
    await ask(offline.socket, "I want to talk to a human");
    await ask(offline.socket, "night.owl@example.com");
    await offline.socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    // Past the whole close time (2.4 s) and then some: nothing from the timer.
    await new Promise((r) => setTimeout(r, 4000));
    for (const { id, socket } of [waiting, offline]) {
      expect((await row(id)).status).toBe("queued");
      expect(socket.frames.some((f) => f.type === "message" && /^(Вы ещё здесь|Are you still there|Закрыл|I've closed)/.test(f.message.body))).toBe(false);
    }
    await Promise.all([waiting.socket.close(), offline.socket.close()]);
  });

  it("keeps quiet outside its own hours: the customer goes straight to a person, or is an offline request when nobody is on (B3)", async () => {
    const resting = await botTenant("Bot resting", { hours: NEVER });
    const day = await customer(resting.publicKey);
    await say(day.socket, "сколько стоит доставка?");
    await day.socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    expect(day.socket.frames.filter((f) => f.type === "message" && f.message.authorKind === "bot")).toEqual([]);
    expect(await reasons(day.id)).toEqual(["bot off hours"]);
    expect((await row(day.id)).offlineRequest).toBe(false);

    await database().update(sites).set({ workingHours: NEVER }).where(eq(sites.id, resting.siteId));
    const night = await customer(resting.publicKey);
    await say(night.socket, "сколько стоит доставка?");
    await night.socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    expect(night.socket.frames.filter((f) => f.type === "message" && f.message.authorKind === "bot")).toEqual([]);
    expect(await reasons(night.id)).toEqual(["bot and operators off hours; offline request"]);
    expect((await row(night.id)).offlineRequest).toBe(true);
    await Promise.all([day.socket.close(), night.socket.close()]);
  });

  it("scores the customer's mood from their words (A5)", async () => {
    const happy = await customer();
    await ask(happy.socket, "спасибо, всё круто");
    const sad = await customer();
    await say(sad.socket, "ужасный банк");
    await new Promise((r) => setTimeout(r, 300));
    expect((await row(happy.id)).sentiment).toBeGreaterThan(0);
    expect((await row(sad.id)).sentiment).toBeLessThan(0);
    await Promise.all([happy.socket.close(), sad.socket.close()]);
  });

  it("stays out of a workspace without a knowledge base: straight to the queue, no bot message", async () => {
    const { id, socket } = await customer((await (await import("../../scripts/test-kit/clients")).createTenant("No bot")).publicKey);
    await say(socket, "hello?");
    await socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    expect(socket.frames.filter((f) => f.type === "message" && f.message.authorKind === "bot")).toEqual([]);
    expect(await reasons(id)).toEqual(["no bot"]);
    await socket.close();
  });

  it("can be switched off for a site", async () => {
    const off = await botTenant("Bot off");
    await setBot(off.siteId, { enabled: false });
    const { id, socket } = await customer(off.publicKey);
    await say(socket, "Здравствуйте");
    await socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    expect(await reasons(id)).toEqual(["no bot"]);
    await socket.close();
  });

  it("asks the workspace's language model when nothing matches, and hands over when it fails or is slow", async () => {
    let answer: (response: ServerResponse) => void = () => {};
    const questions: string[] = [];
    const model = createServer((request, response) => {
      let raw = "";
      request.on("data", (chunk) => (raw += chunk));
      request.on("end", () => {
        questions.push(JSON.parse(raw).messages.at(-1).content);
        answer(response);
      });
    });
    await new Promise<void>((resolve) => model.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`;
    const reply = (content: string) => (response: ServerResponse) =>
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ choices: [{ message: { content } }] }));
    try {
      const smart = await botTenant("Bot with a model");
      await database().update(workspaces).set({ llm: { enabled: true, url, key: "sk-test", model: "tiny", timeoutMs: 600 } }).where(eq(workspaces.id, smart.workspaceId));

      answer = reply("Мы продаём только кофе и кофемолки.");
      const first = await customer(smart.publicKey);
      expect((await ask(first.socket, "а вы продаёте билеты на Марс?")).body).toBe("Мы продаём только кофе и кофемолки.");
      expect(questions).toEqual(["а вы продаёте билеты на Марс?"]);
      expect((await row(first.id)).status).toBe("bot");

      answer = reply("NO_ANSWER");
      const second = await customer(smart.publicKey);
      await ask(second.socket, "а вы продаёте билеты на Марс?");
      await second.socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
      expect((await reasons(second.id))[0]).toMatch(/no model answer$/);

      answer = () => {}; // never answers: the bot hands over after the workspace's timeout
      const third = await customer(smart.publicKey);
      await ask(third.socket, "а вы продаёте билеты на Марс?");
      await third.socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
      expect((await reasons(third.id))[0]).toMatch(/no model answer$/);
      // It waited out the 600 ms it was given, and not much more (the endpoint itself never answers).
      const [asked] = await database().select({ at: messages.createdAt }).from(messages).where(and(eq(messages.conversationId, third.id), eq(messages.authorKind, "visitor")));
      const [handed] = await database().select({ at: events.at }).from(events).where(and(eq(events.conversationId, third.id), eq(events.type, "escalated")));
      expect(handed.at - asked.at).toBeGreaterThanOrEqual(550);
      expect(handed.at - asked.at).toBeLessThan(5000);
      await Promise.all([first.socket.close(), second.socket.close(), third.socket.close()]);
    } finally {
      model.closeAllConnections();
      model.close();
    }
  });
});
