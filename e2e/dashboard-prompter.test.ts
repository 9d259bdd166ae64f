import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botTenant } from "../scripts/test-kit/bot-kit";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { database, joinConversation, say, stack, startVisitor, type Tenant } from "../scripts/test-kit/clients";
import demo from "../worker/src/bot/demo/knowledge-base.json";
import { intents, suggestionFeedback } from "../worker/src/db/schema";

// The prompter's accept and reject in a real browser (D9, B6): a customer asks
// for a person, the operator takes the conversation, the customer asks about
// delivery; the panel above the reply box suggests answers from the knowledge
// base, the operator hides one and uses another, edits it and sends it.

let browser: Browser;
let tenant: Tenant;

const QUESTION = "сколько стоит доставка?";
const answer = (key: string) => demo.intents.find((i) => i.key === key)!.answer.ru;
const intentId = async (key: string) =>
  (await database().select({ id: intents.id }).from(intents).where(and(eq(intents.workspaceId, tenant.workspaceId), eq(intents.key, key))))[0].id;
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [browser, tenant] = await Promise.all([launchBrowser(), botTenant("Prompter shop")]);
});

afterAll(async () => {
  await browser?.close();
});

describe("the prompter in a real browser", BROWSER, () => {
  it("suggests answers for the customer's message; one is hidden, another used, edited and sent", async () => {
    // The customer asks for a person: the bot hands over.
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const customer = await joinConversation(id, { token: visitor.token });
    await say(customer, "позовите оператора, пожалуйста");
    await customer.next((f) => f.type === "conversation" && f.conversation.status === "queued");

    // The operator opens it and takes it.
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${stack().url}/dashboard/`);
    await page.fill("[data-testid=login-email]", tenant.owner.email);
    await page.fill("[data-testid=login-password]", tenant.owner.password);
    await page.click("[data-testid=login-submit]");
    await page.locator("[data-testid=tab-queue]").waitFor();
    // From here on (before sign-in the dashboard's session check is a 401 by design).
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    await page.goto(`${stack().url}/dashboard/#/c/${id}`);
    await page.click("[data-testid=claim]");
    await page.locator("[data-testid=conversation-status][data-status=assigned]").waitFor();
    // The bot greets the customer in the operator's name (B4), then keeps quiet.
    await customer.next((f) => f.type === "message" && f.message.authorKind === "bot" && f.message.body.includes("Prompter shop Owner"));

    // The customer asks about delivery; the bot stays silent, the panel suggests.
    const from = customer.frames.length;
    const asked = await say(customer, QUESTION);
    await page.locator(`[data-testid=message][data-seq='${asked.seq}']`).waitFor();
    const panel = page.locator("[data-testid=prompter]");
    await panel.locator("[data-testid=suggestion][data-intent='Delivery cost']").waitFor();
    const names = await panel.locator("[data-testid=suggestion] strong").allTextContents();
    expect(names[0]).toBe("Delivery cost");
    expect(names).toContain("Delivery time");
    expect(names.length).toBeLessThanOrEqual(3);
    expect(await panel.locator("[data-intent='Delivery cost'] .suggestion-text").textContent()).toBe(answer("delivery-cost"));
    await shot(page, "prompter-1-suggestions");

    // "×" on Delivery time: it goes, and the reject is stored.
    await panel.locator("[data-intent='Delivery time'] [data-testid=suggestion-reject]").click();
    await panel.locator("[data-intent='Delivery time']").waitFor({ state: "detached" });
    const rows = () => database().select().from(suggestionFeedback).where(eq(suggestionFeedback.conversationId, id)).orderBy(suggestionFeedback.createdAt);
    await expect.poll(async () => (await rows()).length).toBe(1);
    expect((await rows())[0]).toMatchObject({ intentId: await intentId("delivery-time"), accepted: false, question: QUESTION, operatorId: tenant.owner.id, suggestion: answer("delivery-time") });

    // "Use" on Delivery cost: its text lands in the reply box, focused, and the accept is stored.
    await panel.locator("[data-intent='Delivery cost'] [data-testid=suggestion-use]").click();
    const input = page.locator("[data-testid=reply-input]");
    await expect.poll(() => input.inputValue()).toBe(answer("delivery-cost"));
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(async () => (await rows()).length).toBe(2);
    // The card stays until the answer goes, marked used.
    expect(await panel.locator("[data-intent='Delivery cost'] [data-testid=suggestion-use]").textContent()).toBe("Used");
    expect((await rows())[1]).toMatchObject({ intentId: await intentId("delivery-cost"), accepted: true, question: QUESTION, suggestion: answer("delivery-cost") });

    // The operator edits it (typing at the caret, which sits at the end) and sends it.
    await page.keyboard.type(" Курьер привезёт завтра.");
    const edited = `${answer("delivery-cost")} Курьер привезёт завтра.`;
    expect(await input.inputValue()).toBe(edited);
    await shot(page, "prompter-2-used");
    await page.keyboard.press("Enter");
    const received = await customer.next((f) => f.type === "message" && f.message.authorKind === "operator", { from });
    expect(received.message.body).toBe(edited);
    // Answered: the panel hides, and the bot said nothing in between.
    await panel.waitFor({ state: "detached" });
    expect(customer.frames.slice(from).filter((f) => f.type === "message" && f.message.authorKind === "bot")).toEqual([]);
    await shot(page, "prompter-3-sent");

    // The customer writes again: the panel asks again for the new message.
    const next = await say(customer, "а самовывоз можно?");
    await panel.locator("[data-testid=suggestion][data-intent='Pick-up points']").waitFor();
    // The panel's height came off the messages; the new question is still in view above it.
    const inView = () =>
      page.locator(`[data-testid=message][data-seq='${next.seq}']`).evaluate((el) => {
        const list = el.closest(".messages")!.getBoundingClientRect();
        return el.getBoundingClientRect().bottom <= list.bottom + 1;
      });
    await expect.poll(inView).toBe(true);
    await shot(page, "prompter-4-next");
    expect(errors).toEqual([]);
    await customer.close();
  });
});
