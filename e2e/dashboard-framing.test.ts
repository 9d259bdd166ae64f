import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, launchBrowser } from "../scripts/test-kit/browser";
import { createTenant, customerWrites, stack, type Tenant } from "../scripts/test-kit/clients";
import { startHost } from "./widget-kit";

// Clickjacking (A7): a page on another port of the same host framed the
// signed-in inbox. Now the dashboard refuses every frame, and runs whole
// under its strict Content-Security-Policy.

let browser: Browser;
let context: BrowserContext;
let page: Page;
let tenant: Tenant;
let host: Awaited<ReturnType<typeof startHost>>;
const consoleErrors: string[] = [];

declare global {
  interface Window {
    violations: string[];
  }
}

beforeAll(async () => {
  tenant = await createTenant("Framing");
  host = await startHost();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Every document of the context reports what its policy blocked (init scripts are not subject to it).
  await context.addInitScript(() => {
    window.violations = [];
    addEventListener("securitypolicyviolation", (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page = await context.newPage();
  page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

async function signInThroughThePage() {
  await page.goto(`${stack().url}/dashboard/`);
  await page.fill("[data-testid=login-email]", tenant.owner.email);
  await page.fill("[data-testid=login-password]", tenant.owner.password);
  await page.click("[data-testid=login-submit]");
  await page.locator("[data-testid=tab-queue]").waitFor();
}

describe("the dashboard and other sites' frames", BROWSER, () => {
  it("stays out of a frame on another port of the same host, while a page without the policy loads in one", async () => {
    await signInThroughThePage();
    const attacker = await context.newPage();
    const url = host.set("/frame", `<!doctype html><iframe id="inbox" src="${stack().url}/dashboard/"></iframe><iframe id="shop" src="${stack().url}/"></iframe>`);
    // "load" waits for both frames, the refused one included.
    await attacker.goto(url);
    const shop = await (await attacker.$("#shop"))!.contentFrame();
    expect(shop!.url()).toBe(`${stack().url}/`);
    expect(await shop!.locator("h1").count()).toBeGreaterThan(0);
    const inbox = await (await attacker.$("#inbox"))!.contentFrame();
    // Chromium puts its error page where a refused frame would be: nothing of ours renders there.
    expect(inbox!.url()).not.toContain("/dashboard/");
    expect(await inbox!.locator("[data-testid=tab-queue]").count()).toBe(0);
    await attacker.close();
  });

  it("works whole under its policy: inbox, a live conversation, settings and the supervisor view break no rule", async () => {
    await customerWrites(tenant.publicKey, "Is anyone there?");
    await page.goto("about:blank");
    const loaded = await page.goto(`${stack().url}/dashboard/#/`);
    expect(loaded!.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.locator("[data-testid=conversation-row]").first().click();
    await page.fill("[data-testid=reply-input]", "Yes, I am here.");
    await page.click("[data-testid=reply-send]");
    await page.locator("[data-testid=message][data-author-kind=operator]:not([data-pending])", { hasText: "Yes, I am here." }).waitFor();
    for (const tab of ["sites", "operators", "groups", "knowledge", "canned", "tags"]) {
      await page.goto(`${stack().url}/dashboard/#/settings/${tab}`);
      await page.locator(`[data-testid=settings-${tab}][aria-current=page]`).waitFor();
    }
    await page.goto(`${stack().url}/dashboard/#/supervisor`);
    await page.locator("[data-testid=supervisor]").waitFor();
    expect(await page.evaluate(() => window.violations)).toEqual([]);
    expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
    // The watch works: an inline script, as injected markup would bring, is refused and reported.
    await page.evaluate(() => document.head.append(Object.assign(document.createElement("script"), { textContent: "window.ran = true" })));
    await page.waitForFunction(() => window.violations.length > 0);
    expect(await page.evaluate(() => [window.violations, "ran" in window])).toEqual([["script-src-elem inline"], false]);
  });
});
