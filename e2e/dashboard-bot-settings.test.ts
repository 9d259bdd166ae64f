import { eq } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botTenant } from "../scripts/test-kit/bot-kit";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { database, stack, type Tenant } from "../scripts/test-kit/clients";
import { conversations, events, workspaces } from "../worker/src/db/schema";
import { activeConversation, customerPage, customerSays, hostPage, openPanel, shot, startHost } from "./widget-kit";

// An admin words the bot for a site and switches it off (B2–B4), and sets the
// workspace's language model; the customer's widget follows the bot settings
// from its next message, and the model's key never comes back to a browser.

let browser: Browser;
let host: Awaited<ReturnType<typeof startHost>>;
let tenant: Tenant;
let admin: Page;
const errors: string[] = [];
const OUR_TEXT = "Секунду, зову живого человека!";
const SECRET = "sk-e2e-never-shown-4711";

const fullShot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
/** The page's markup and every field's value: where a key shown back would be. */
const shown = (page: Page) =>
  page.evaluate(() => document.documentElement.outerHTML + Array.from(document.querySelectorAll<HTMLInputElement>("input, textarea")).map((f) => f.value).join("\n"));
const botSays = (text: string) => `[data-author-kind=bot]:has-text("${text}")`;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [browser, host, tenant] = await Promise.all([launchBrowser(), startHost(), botTenant("Bot settings")]);
  admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  admin.on("pageerror", (error) => errors.push(error.message));
  await admin.goto(`${stack().url}/dashboard/`);
  await admin.fill("[data-testid=login-email]", tenant.owner.email);
  await admin.fill("[data-testid=login-password]", tenant.owner.password);
  await admin.click("[data-testid=login-submit]");
  await admin.locator("[data-testid=tab-queue]").waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

async function siteBot() {
  const response = await admin.evaluate(async (siteId) => (await fetch(`/api/ops/knowledge/sites/${siteId}/bot`)).json(), tenant.siteId);
  return (response as { bot: { enabled: boolean; reminderMinutes: number; idleCloseMinutes: number; texts: Record<string, Record<string, string>> } }).bot;
}

describe("a site's bot settings", BROWSER, () => {
  it("shows the built-in texts as placeholders, and the server's refusal as a sentence", async () => {
    await admin.goto(`${stack().url}/dashboard/#/settings/sites`);
    const bot = admin.locator("[data-testid=site-bot]");
    await bot.waitFor();
    await admin.click("[data-testid=bot-texts]");
    expect(await admin.getAttribute("[data-testid=bot-text-onTheWay-ru]", "placeholder")).toBe("Передаю вас коллеге: оператор скоро подключится.");
    expect(await admin.getAttribute("[data-testid=bot-text-person-uk]", "placeholder")).toBe("Покликати оператора");
    expect(await admin.locator("[data-testid^=bot-text-]").count()).toBe(30);

    await admin.uncheck("[data-testid=bot-always]");
    await bot.locator("input[placeholder='Europe/Kyiv']").fill("Mars/Base");
    await bot.locator("h3").evaluate((h) => h.scrollIntoView());
    await shot(admin, "bot-settings-top");
    await admin.click("[data-testid=bot-save]");
    const alert = bot.locator("[role=alert]");
    await alert.waitFor();
    expect(await alert.textContent()).toBe("Bot hours: not a known IANA time zone.");
    await alert.scrollIntoViewIfNeeded();
    await shot(admin, "bot-settings-refused");
    await admin.check("[data-testid=bot-always]");
  });

  it("saves the Russian 'on the way' and no reminder; a customer asking for a person sees that text", async () => {
    await admin.fill("[data-testid=bot-text-onTheWay-ru]", OUR_TEXT);
    await admin.fill("[data-testid=bot-reminder]", "0");
    await admin.click("[data-testid=bot-save]");
    await admin.locator("[data-testid=bot-saved]").waitFor();
    await fullShot(admin, "bot-settings-site");
    const saved = await siteBot();
    expect(saved).toMatchObject({ enabled: true, reminderMinutes: 0, idleCloseMinutes: 30, texts: { onTheWay: { ru: OUR_TEXT } } });
    expect(Object.keys(saved.texts)).toEqual(["onTheWay"]);

    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/ru-person", hostPage(tenant.publicKey, { lang: "ru" })));
    await openPanel(page);
    await customerSays(page, "Позовите, пожалуйста, оператора");
    await page.locator(botSays(OUR_TEXT)).waitFor();
    expect(await page.locator(botSays("Передаю вас коллеге")).count()).toBe(0);
    const id = (await activeConversation(page, tenant.publicKey))!;
    const [row] = await database().select({ status: conversations.status }).from(conversations).where(eq(conversations.id, id));
    expect(row.status).toBe("queued");
    await shot(page, "bot-settings-custom-on-the-way");
    expect(console).toEqual([]);
  });

  it("switched off, a new customer's message goes straight to the queue with no bot message", async () => {
    await admin.uncheck("[data-testid=bot-enabled]");
    await admin.click("[data-testid=bot-save]");
    await admin.locator("[data-testid=bot-saved]").waitFor();
    expect((await siteBot()).enabled).toBe(false);

    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/ru-off", hostPage(tenant.publicKey, { lang: "ru" })));
    await openPanel(page);
    // A question the bot would answer were it on.
    await customerSays(page, "Сколько стоит доставка?");
    const id = (await activeConversation(page, tenant.publicKey))!;
    await expect.poll(async () => (await database().select({ status: conversations.status }).from(conversations).where(eq(conversations.id, id)))[0]?.status).toBe("queued");
    await expect.poll(() => page.locator(".status").textContent()).toMatch(/в очереди/);
    const reasons = await database().select({ type: events.type, data: events.data }).from(events).where(eq(events.conversationId, id));
    expect(JSON.stringify(reasons)).toContain("no bot");
    expect(await page.locator("[data-author-kind=bot]").count()).toBe(0);
    await shot(page, "bot-settings-bot-off");
    expect(console).toEqual([]);
  });
});

describe("the workspace's language model", BROWSER, () => {
  const modelAnswer = (page: Page, method: string) =>
    page.waitForResponse((r) => r.url().endsWith("/api/ops/knowledge/model") && r.request().method() === method);

  it("saves the endpoint and key, and never shows the key back: not in the API's answers, not in the page", async () => {
    const loaded = modelAnswer(admin, "GET");
    await admin.goto(`${stack().url}/dashboard/#/settings/knowledge`);
    expect(await (await loaded).json()).toEqual({ model: { enabled: false, url: "", model: "", timeoutMs: 4000, keySet: false } });
    await admin.locator("[data-testid=model-save]").waitFor();
    expect(await admin.textContent("[data-testid=model-key-state]")).toBe("no key set");

    // A bad URL: the server's sentence, nothing stored.
    await admin.check("[data-testid=model-enabled]");
    await admin.fill("[data-testid=model-url]", "ftp://127.0.0.1/v1");
    await admin.fill("[data-testid=model-name]", "tiny-chat");
    await admin.fill("[data-testid=model-timeout]", "1500");
    await admin.fill("[data-testid=model-key]", SECRET);
    await admin.click("[data-testid=model-save]");
    await admin.locator("[data-testid=model-settings] [role=alert]", { hasText: "The URL must start with http:// or https://." }).waitFor();

    await admin.fill("[data-testid=model-url]", "http://127.0.0.1:9/v1");
    const put = modelAnswer(admin, "PUT");
    await admin.click("[data-testid=model-save]");
    const putText = await (await put).text();
    expect(putText).not.toContain(SECRET);
    expect(JSON.parse(putText)).toEqual({ model: { enabled: true, url: "http://127.0.0.1:9/v1", model: "tiny-chat", timeoutMs: 1500, keySet: true } });
    await admin.locator("[data-testid=model-saved]").waitFor();
    expect(await admin.textContent("[data-testid=model-key-state]")).toMatch(/a key is set/);
    expect(await admin.inputValue("[data-testid=model-key]")).toBe("");
    expect(await shown(admin)).not.toContain(SECRET);
    await fullShot(admin, "bot-settings-model");

    // Stored for the bot as it reads it.
    const [row] = await database().select({ llm: workspaces.llm }).from(workspaces).where(eq(workspaces.id, tenant.workspaceId));
    expect(row.llm).toEqual({ enabled: true, url: "http://127.0.0.1:9/v1", model: "tiny-chat", timeoutMs: 1500, key: SECRET });

    // A fresh load and a save without typing the key: still set, still never shown.
    const again = modelAnswer(admin, "GET");
    await admin.reload();
    expect(await (await again).text()).not.toContain(SECRET);
    await admin.locator("[data-testid=model-save]").waitFor();
    await admin.fill("[data-testid=model-timeout]", "2500");
    const kept = modelAnswer(admin, "PUT");
    await admin.click("[data-testid=model-save]");
    expect(JSON.parse(await (await kept).text())).toMatchObject({ model: { timeoutMs: 2500, keySet: true } });
    expect(await shown(admin)).not.toContain(SECRET);
    const [after] = await database().select({ llm: workspaces.llm }).from(workspaces).where(eq(workspaces.id, tenant.workspaceId));
    expect(after.llm).toMatchObject({ timeoutMs: 2500, key: SECRET });
    expect(errors).toEqual([]);
  });
});
