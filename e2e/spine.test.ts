import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { stack } from "../scripts/test-kit/clients";
import { DEMO } from "../scripts/seed";

// A customer on the demo shop and an operator in the dashboard, each in their
// own browser context, talking through the real stack. The demo shop has the
// bot (its knowledge base is seeded): the customer asks for a person at once.

let browser: Browser;
let secondConversation: string;
let customer: Page;
let operator: Page;
const errors: string[] = [];

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The customer's messages as the widget shows them: [author kind, text], stored ones only. */
function widgetMessages(page: Page) {
  return page.$$eval("[data-author-kind][data-seq]", (items) =>
    items.map((item) => [item.getAttribute("data-author-kind"), item.querySelector(".bubble")?.textContent ?? item.textContent]),
  );
}

function dashboardMessages(page: Page) {
  return page.$$eval("[data-testid=message][data-seq]", (items) =>
    items.map((item) => [item.getAttribute("data-author-kind"), item.querySelector(".bubble")?.textContent ?? item.textContent]),
  );
}

async function customerSays(text: string) {
  await customer.fill(".composer textarea", text);
  await customer.press(".composer textarea", "Enter");
  await customer.locator("[data-author-kind][data-seq]", { hasText: text }).waitFor();
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
  customer = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  operator = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  for (const [who, page] of [["customer", customer], ["operator", operator]] as const) {
    page.on("pageerror", (error) => errors.push(`${who}: ${error.message}`));
  }
});

afterAll(async () => {
  await browser?.close();
});

describe("the spine in a real browser", BROWSER, () => {
  it("signs the operator in to an empty queue", async () => {
    await operator.goto(`${stack().url}/dashboard/`);
    await operator.fill("[data-testid=login-email]", DEMO.email);
    await operator.fill("[data-testid=login-password]", "not the password");
    await operator.click("[data-testid=login-submit]");
    await expect(operator.locator("[data-testid=login-error]").textContent()).resolves.toMatch(/Wrong e-mail or password/);
    await operator.fill("[data-testid=login-password]", DEMO.password);
    await operator.click("[data-testid=login-submit]");
    await operator.locator("[data-testid=tab-queue]").waitFor();
    await shot(operator, "operator-inbox-empty");
  });

  it("brings a customer's first message into the operator's queue without a reload", async () => {
    await customer.goto(`${stack().url}/?utm_source=newsletter`);
    await customer.click("#l");
    await customer.locator(".panel").waitFor();
    await customerSays("Hi! My order #1042 hasn't arrived yet. Can a person help me?");
    await customer.locator("[data-author-kind=bot]", { hasText: "an operator is on the way" }).waitFor();
    await shot(customer, "customer-first-message");

    const row = operator.locator("[data-testid=conversation-row]", { hasText: "My order #1042" });
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("queued");
    expect(await operator.title()).toBe("(1) Tandem");
    await shot(operator, "operator-queue");
  });

  it("lets the operator take it and reply, and the customer sees the reply and who answers", async () => {
    await operator.click("[data-testid=conversation-row] >> text=My order #1042");
    await operator.locator("[data-testid=message][data-author-kind=visitor]", { hasText: "My order #1042" }).waitFor();
    await operator.click("[data-testid=claim]");
    await operator.locator("[data-testid=conversation-status][data-status=assigned]").waitFor();
    await operator.fill("[data-testid=reply-input]", "Sorry about that! Checking order #1042 now.");
    await operator.click("[data-testid=reply-send]");

    await customer.locator("[data-author-kind][data-author-kind=operator]", { hasText: "Checking order #1042" }).waitFor();
    await expect(customer.locator(".header .name").textContent()).resolves.toBe("Dana Demo");
    await shot(customer, "customer-reply");
  });

  it("carries messages both ways, live, and shows typing", async () => {
    await customer.fill(".composer textarea", "Thanks, I ordered on Monday");
    await operator.locator("[data-testid=typing]").waitFor();
    await customer.press(".composer textarea", "Enter");
    await operator.locator("[data-testid=message][data-author-kind=visitor]", { hasText: "I ordered on Monday" }).waitFor();
    await operator.fill("[data-testid=reply-input]", "It ships today.\nYou'll get a tracking link by e-mail.");
    await operator.press("[data-testid=reply-input]", "Enter");
    await customer.locator("[data-author-kind][data-author-kind=operator]", { hasText: "It ships today." }).waitFor();
    await shot(operator, "operator-conversation");
  });

  it("keeps the whole history on both sides after a reload, the bot's part too", async () => {
    const expected = [
      ["visitor", "Hi! My order #1042 hasn't arrived yet. Can a person help me?"],
      ["bot", "I'm passing you to a colleague: an operator is on the way."],
      ["system", "Dana Demo joined the conversation"],
      ["bot", "Hi, I'm Dana Demo. I've read the conversation. What happened?"],
      ["operator", "Sorry about that! Checking order #1042 now."],
      ["visitor", "Thanks, I ordered on Monday"],
      ["operator", "It ships today.\nYou'll get a tracking link by e-mail."],
    ];
    await customer.reload();
    await customer.click("#l");
    await customer.locator("[data-author-kind][data-seq='7']").waitFor();
    expect(await widgetMessages(customer)).toEqual(expected);

    await operator.reload();
    await operator.locator("[data-testid=message][data-seq='7']").waitFor();
    expect(await dashboardMessages(operator)).toEqual(expected.map(([kind, text]) => [kind, kind === "system" ? expect.stringContaining(text) : text]));
  });

  it("lets the operator close it, and the customer's next message reopens it", async () => {
    const first = await operator.evaluate(() => location.hash.split("/").pop());
    await operator.click("[data-testid=close]");
    await operator.locator("[data-testid=conversation-status][data-status=closed]").waitFor();
    await customer.locator(".closed .rating").waitFor();
    await shot(customer, "customer-closed");
    await customerSays("One more question: do you sell decaf?");
    const row = operator.locator("[data-testid=conversation-row][data-status=queued]", { hasText: "decaf" });
    await row.waitFor();
    secondConversation = (await row.getAttribute("data-id"))!;
    // Within the site's window (an hour by default) it is the same conversation (D8).
    expect(secondConversation).toBe(first);
  });

  it("shows markup a customer types as text, and runs none of it", async () => {
    const attack = `<img src=x onerror="window.__pwned=1"><b>bold?</b>`;
    await customerSays(attack);
    await operator.click(`[data-testid=conversation-row][data-id="${secondConversation}"]`);
    const shown = operator.locator("[data-testid=message][data-author-kind=visitor]", { hasText: "bold?" });
    await shown.waitFor();
    expect(await shown.locator(".bubble").textContent()).toBe(attack);
    expect(await operator.locator("[data-testid=message] img, [data-testid=message] b").count()).toBe(0);
    expect(await operator.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await customer.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it("lets the customer close it too", async () => {
    await customer.click(".header .end");
    await customer.locator(".closed .rating").waitFor();
    await operator.click("[data-testid=tab-closed]");
    await operator.locator(`[data-testid=conversation-row][data-id="${secondConversation}"][data-status=closed]`).waitFor();
    expect(await operator.title()).toBe("Tandem");
  });

  it("threw no errors in either page", () => {
    expect(errors).toEqual([]);
  });
});
