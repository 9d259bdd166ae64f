import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotWorker } from "../scripts/test-kit/bot-worker";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { customerPage, hostPage, openPanel, shot, siteWith, startHost } from "./widget-kit";

// The bot's side of the widget, before the bot exists: a bot message with
// quick replies (posted through the test-only route the bot will use from
// inside the Worker), and the customer asking for a person.

let browser: Browser;
let host: Awaited<ReturnType<typeof startHost>>;
let bot: Awaited<ReturnType<typeof startBotWorker>>;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [browser, host, bot] = await Promise.all([launchBrowser(), startHost(), startBotWorker()]);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await bot?.stop();
});

/** A customer whose conversation is with the bot: the widget's own visitor opens it, the bot speaks first. */
async function withBot(page: Page, tenant: Awaited<ReturnType<typeof siteWith>>) {
  await page.goto(host.set(`/bot-${tenant.publicKey}`, hostPage(tenant.publicKey, { server: bot.url })));
  await openPanel(page);
  const readToken = () => page.evaluate((key) => localStorage.getItem(`tandem:token:${key}`), tenant.publicKey);
  await expect.poll(readToken).toBeTruthy();
  const token = await readToken();
  const created = await fetch(`${bot.url}/api/widget/conversations`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, origin: host.url },
    body: JSON.stringify({}),
  });
  expect(created.status).toBe(201);
  const { conversation } = (await created.json()) as { conversation: { id: string } };
  const posted = await bot.postBot(tenant.workspaceId, conversation.id, {
    body: "Hi! I can help with orders and returns.",
    buttons: [
      { label: "Where is my order?", intent: "order-status" },
      { label: "Talk to a person", operator: true },
    ],
  });
  expect(posted.ok).toBe(true);
  // The widget finds the open conversation when the page comes back.
  await page.reload();
  await openPanel(page);
  await page.locator("[data-author-kind=bot]", { hasText: "I can help" }).waitFor();
  return conversation.id;
}

describe("the bot in the widget", BROWSER, () => {
  it("shows quick replies under the bot's last message; one sends its words", async () => {
    const tenant = await siteWith();
    const { page, console } = await customerPage(browser);
    await withBot(page, tenant);
    expect(await page.locator(".buttons button").allTextContents()).toEqual(["Where is my order?", "Talk to a person"]);
    await expect(page.locator(".human").textContent()).resolves.toBe("Talk to a person");
    await shot(page, "widget-bot-buttons");
    await page.click(".buttons button >> text=Where is my order?");
    await page.locator("[data-author-kind=visitor][data-seq]", { hasText: "Where is my order?" }).waitFor();
    // Answered: the quick replies belong to the bot's message, which is no longer the last.
    expect(await page.locator(".buttons button").count()).toBe(0);
    expect(console).toEqual([]);
  });

  it("hands over when the customer asks for a person, and shows the queue place", async () => {
    const tenant = await siteWith();
    const { page, console } = await customerPage(browser);
    await withBot(page, tenant);
    await page.click(".buttons button >> text=Talk to a person");
    await expect.poll(() => page.locator(".status").textContent()).toBe("An operator is on the way · you're #1 in line");
    expect(await page.locator(".human").count()).toBe(0);
    await shot(page, "widget-bot-handover");
    expect(console).toEqual([]);
  });
});
