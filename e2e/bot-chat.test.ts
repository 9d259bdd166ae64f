import { eq } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botTenant } from "../scripts/test-kit/bot-kit";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { database, signIn, stack, type Tenant } from "../scripts/test-kit/clients";
import { conversations, sites } from "../worker/src/db/schema";
import { activeConversation, customerPage, customerSays, hostPage, openPanel, shot, startHost } from "./widget-kit";

// The bot as a customer meets it (W5, B1–B4, W11), with the demo knowledge
// base: a Russian FAQ with buttons, a Ukrainian question with a typo, a
// complaint handed to a person who greets by name, and the rating after a
// conversation the bot handled alone.

let browser: Browser;
let host: Awaited<ReturnType<typeof startHost>>;
let tenant: Tenant;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [browser, host, tenant] = await Promise.all([launchBrowser(), startHost(), botTenant("Bot shop")]);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const botSays = (text: string) => `[data-author-kind=bot]:has-text("${text}")`;

describe("the bot in the widget", BROWSER, () => {
  it("answers a Russian FAQ with buttons, and a button brings that answer", async () => {
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/ru", hostPage(tenant.publicKey, { lang: "ru" })));
    await openPanel(page);
    await customerSays(page, "Добрый день");
    await page.locator(botSays("Я бот магазина")).waitFor();
    expect(await page.locator(".buttons button").allTextContents()).toEqual(expect.arrayContaining(["Сроки доставки", "Где мой заказ?"]));
    await shot(page, "bot-ru-buttons");
    const before = await page.locator("[data-author-kind=bot]").count();
    await page.click(".buttons button >> text=Сроки доставки");
    await page.locator("[data-author-kind=visitor][data-seq]", { hasText: "Сроки доставки" }).waitFor();
    await expect.poll(() => page.locator("[data-author-kind=bot]").count()).toBe(before + 1);
    const answer = await page.locator("[data-author-kind=bot]").last().textContent();
    expect(answer).toMatch(/доставк/i);
    expect(answer).not.toContain("Я бот магазина");
    expect(console).toEqual([]);
  });

  it("answers a Ukrainian question with a typo, in Ukrainian", async () => {
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/uk", hostPage(tenant.publicKey, { lang: "uk" })));
    await openPanel(page);
    await customerSays(page, "скільки коштуе доставка");
    const answer = page.locator("[data-author-kind=bot]").last();
    await answer.waitFor();
    expect(await answer.textContent()).toMatch(/доставк/i);
    expect(await answer.textContent()).toMatch(/[іїє]/);
    await shot(page, "bot-uk-typo");
    expect(console).toEqual([]);
  });

  it("hands a complaint to a person: 'on the way', the queue place, then the operator's greeting, name and avatar", async () => {
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/complaint", hostPage(tenant.publicKey, { lang: "ru" })));
    await openPanel(page);
    await customerSays(page, "Это ужасный сервис, я буду жаловаться!");
    await page.locator(botSays("оператор скоро подключится")).waitFor();
    await expect.poll(() => page.locator(".status").textContent()).toBe("Оператор скоро подключится · вы 1-й в очереди");
    // Until a person joins, the header is the site's (W8).
    const before = await page.locator(".header .name").textContent();
    expect(before).not.toBe(tenant.agent.name);
    expect(await page.locator(".header .avatar.person").count()).toBe(0);
    const id = (await activeConversation(page, tenant.publicKey))!;
    const agent = await signIn(tenant.agent.email, tenant.agent.password);
    expect((await agent.request(`/api/ops/conversations/${id}/claim`, { method: "POST" })).status).toBe(200);
    await page.locator(botSays(`меня зовут ${tenant.agent.name}`)).waitFor();
    await expect.poll(() => page.locator(".header .name").textContent()).toBe(tenant.agent.name);
    await expect(page.locator(".header .avatar.person").textContent()).resolves.toBe(tenant.agent.name[0]);
    await shot(page, "bot-complaint-greeting");
    expect(console).toEqual([]);
  });

  it("asks for a rating after a conversation the bot handled alone, with a comment below 3 stars", async () => {
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/csat", hostPage(tenant.publicKey)));
    await openPanel(page);
    await customerSays(page, "what payment methods do you accept?");
    await page.locator("[data-author-kind=bot]").last().waitFor();
    const id = (await activeConversation(page, tenant.publicKey))!;
    await page.click(".header .end");
    await page.locator(".rating").waitFor();
    await page.click(".rating fieldset button:nth-of-type(2)");
    await page.click(".stars button:nth-child(2)");
    await page.fill(".rating textarea", "The answer was too vague");
    await shot(page, "bot-csat");
    await page.click(".rating .primary");
    await page.locator(".panel", { hasText: "Thank you for your feedback" }).waitFor();
    const [row] = await database()
      .select({ rating: conversations.rating, comment: conversations.ratingComment, resolved: conversations.resolved, resolvedBy: conversations.resolvedBy })
      .from(conversations)
      .where(eq(conversations.id, id));
    expect(row).toEqual({ rating: 2, comment: "The answer was too vague", resolved: false, resolvedBy: "bot" });
    expect(console).toEqual([]);
  });

  it("outside the operators' hours takes an e-mail, and the dashboard marks the offline request", async () => {
    const night = await botTenant("Bot at night");
    const never = { timeZone: "Europe/Kyiv", days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
    await database().update(sites).set({ workingHours: never }).where(eq(sites.id, night.siteId));
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/night", hostPage(night.publicKey)));
    await openPanel(page);
    // Outside working hours the widget offers to leave an e-mail first (W12); this customer skips it.
    await page.locator(".prechat", { hasText: "We're away now" }).waitFor();
    await page.click(".prechat .primary");
    await customerSays(page, "I need to talk to a human about a refund");
    await page.locator(botSays("Leave your e-mail or phone")).waitFor();
    await customerSays(page, "sure: owl@example.com");
    await page.locator(botSays("We'll reply to owl@example.com")).waitFor();

    const operator = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await operator.goto(`${stack().url}/dashboard/`);
    await operator.fill("[data-testid=login-email]", night.owner.email);
    await operator.fill("[data-testid=login-password]", night.owner.password);
    await operator.click("[data-testid=login-submit]");
    const row = operator.locator("[data-testid=conversation-row][data-status=queued]", { hasText: "owl@example.com" });
    await row.locator("[data-testid=offline-request]").waitFor();
    await shot(operator, "bot-offline-request");
    expect(console).toEqual([]);
  });
});
