import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { createTenant, stack, type Tenant } from "../scripts/test-kit/clients";
import { customerPage, hostPage, openPanel, startHost } from "./widget-kit";

// An admin changes the site's colour and language in the Sites tab; the
// widget on the customer's page shows both on its next load, no redeploy.

let browser: Browser;
let tenant: Tenant;
let admin: Page;
let host: Awaited<ReturnType<typeof startHost>>;
const errors: string[] = [];

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [tenant, host, browser] = await Promise.all([createTenant("Sites UI"), startHost(), launchBrowser()]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack().url });
  admin = await context.newPage();
  admin.on("pageerror", (error) => errors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

describe("the Sites tab", BROWSER, () => {
  it("shows the embed snippet and copies it", async () => {
    await admin.goto(`${stack().url}/dashboard/`);
    await admin.fill("[data-testid=login-email]", tenant.owner.email);
    await admin.fill("[data-testid=login-password]", tenant.owner.password);
    await admin.click("[data-testid=login-submit]");
    await admin.locator("[data-testid=tab-queue]").waitFor();
    await admin.goto(`${stack().url}/dashboard/#/settings/sites`);
    const embed = `<script async src="${stack().url}/widget/loader.js" data-site="${tenant.publicKey}"></script>`;
    await expect.poll(() => admin.locator("[data-testid=site-embed]").inputValue()).toBe(embed);
    await admin.click("[data-testid=site-copy]");
    await admin.locator("[data-testid=site-copy]", { hasText: "Copied" }).waitFor();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(embed);
  });

  it("shows the server's refusal of a bad origin and keeps the form as typed", async () => {
    await admin.fill("[data-testid=site-origins]", "https://shop.example/checkout");
    await admin.click("[data-testid=site-save]");
    await admin.locator(".site-card [role=alert]", { hasText: "allowed origin looks like https://shop.example" }).waitFor();
    expect(await admin.locator("[data-testid=site-origins]").inputValue()).toBe("https://shop.example/checkout");
    await admin.fill("[data-testid=site-origins]", "");
  });

  it("turns 'Always open' off and on with a click, showing the hours to fill", async () => {
    const always = admin.locator("[data-testid=site-always-open]");
    expect(await always.isChecked()).toBe(true);
    await always.click();
    expect(await always.isChecked()).toBe(false);
    await admin.locator(".site-hours").waitFor();
    await always.click();
    expect(await always.isChecked()).toBe(true);
    expect(await admin.locator(".site-hours").count()).toBe(0);
  });

  it("changes colour and language, and the widget shows them on its next page load", async () => {
    const page = host.set("/shop", hostPage(tenant.publicKey, { lang: "en" }));
    const customer = await customerPage(browser);
    await customer.page.goto(page);
    await openPanel(customer.page);
    await expect.poll(() => customer.page.locator(".composer textarea").getAttribute("placeholder")).toBe("Write a message…");

    await admin.fill("[data-testid=site-color]", "#be123c");
    await admin.selectOption("[data-testid=site-language]", "uk");
    await admin.click("[data-testid=site-save]");
    await admin.locator("[data-testid=site-saved]").waitFor();
    await shot(admin, "settings-sites");

    await customer.page.reload();
    await customer.page.locator("#l").waitFor();
    // The loader paints the launcher from its cache first; the app brings the new settings as it opens.
    await openPanel(customer.page);
    await expect.poll(() => customer.page.locator(".composer textarea").getAttribute("placeholder")).toBe("Напишіть повідомлення…");
    const header = await customer.page.locator(".panel .header").evaluate((h) => getComputedStyle(h).backgroundColor);
    expect(header).toBe("rgb(190, 18, 60)");
    await expect.poll(() => customer.page.locator("#l").evaluate((b) => getComputedStyle(b).backgroundColor)).toBe("rgb(190, 18, 60)");
    await shot(customer.page, "settings-sites-widget");
    expect(customer.console).toEqual([]);

    // The tab reads back what was stored.
    await admin.reload();
    await expect.poll(() => admin.locator("[data-testid=site-language]").inputValue()).toBe("uk");
    expect(await admin.locator("[data-testid=site-color]").inputValue()).toBe("#be123c");
    expect(errors).toEqual([]);
  });
});
