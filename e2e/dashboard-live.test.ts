import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { seedConversations } from "../scripts/bench/dashboard-seed";
import { createTenant, customerWrites, database, signIn, stack, type Operator, type Tenant } from "../scripts/test-kit/clients";
import { setPresence } from "./routing-kit";
import { shot } from "./widget-kit";

// What one operator's dashboard hears without a reload: its own presence
// changed elsewhere, new work as a desktop notification, another operator's
// notes and tags, and the supervisor view following the workspace.

let browser: Browser;
let tenant: Tenant;
let annContext: BrowserContext;
let ann: Page; // the owner, a supervisor too
let bob: Page;
let annApi: Operator; // the owner again, in a session of its own (another tab, a phone)
const errors: string[] = [];

async function signInAs(context: BrowserContext, email: string, password: string) {
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${stack().url}/dashboard/`);
  await page.fill("[data-testid=login-email]", email);
  await page.fill("[data-testid=login-password]", password);
  await page.click("[data-testid=login-submit]");
  await page.locator("[data-testid=tab-queue]").waitFor();
  return page;
}

/**
 * Records desktop notifications and permission requests, and still calls the
 * browser's own. A string: the test runner's transform would wrap a function
 * in helpers the page does not have.
 */
const watchNotifications = `(() => {
  const Original = window.Notification;
  window.__notes = [];
  window.__asks = 0;
  class Watched extends Original {
    constructor(title, options) {
      super(title, options);
      window.__notes.push({ title, body: options && options.body });
    }
  }
  Watched.requestPermission = (...args) => {
    window.__asks++;
    return Original.requestPermission(...args);
  };
  window.Notification = Watched;
})()`;

const notes = (page: Page) => page.evaluate(() => (window as unknown as { __notes: { title: string; body?: string }[] }).__notes);

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  tenant = await createTenant("Live");
  browser = await launchBrowser();
  annContext = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  await annContext.addInitScript({ content: watchNotifications });
  ann = await signInAs(annContext, tenant.owner.email, tenant.owner.password);
  bob = await signInAs(await browser.newContext({ viewport: { width: 1400, height: 860 } }), tenant.agent.email, tenant.agent.password);
  annApi = await signIn(tenant.owner.email, tenant.owner.password);
});

afterAll(async () => {
  await browser?.close();
});

describe("a dashboard that stays current", BROWSER, () => {
  it("shows its own presence as it changes elsewhere", async () => {
    const toggle = ann.locator("[data-testid=presence]");
    // Connecting put her online.
    await expect.poll(() => toggle.inputValue()).toBe("online");
    await setPresence(annApi, "away");
    await expect.poll(() => toggle.inputValue()).toBe("away");
    await setPresence(annApi, "online");
    await expect.poll(() => toggle.inputValue()).toBe("online");
  });

  it("asks for notifications at the first click, then shows one for a customer who starts waiting", async () => {
    await ann.click("[data-testid=tab-queue]");
    expect(await ann.evaluate(() => (window as unknown as { __asks: number }).__asks)).toBe(1);
    // Headless Chromium answers the ask with "denied"; the person says yes in the browser's own prompt.
    await annContext.grantPermissions(["notifications"], { origin: stack().url });
    await customerWrites(tenant.publicKey, "Is anybody there? My card was charged twice");
    await expect.poll(() => notes(ann)).toEqual([{ title: "A customer is waiting", body: "Is anybody there? My card was charged twice" }]);
    // And the tone, and the count in the tab title.
    expect(await ann.evaluate(() => (window as { __tandemBeeps?: number }).__tandemBeeps)).toBe(1);
    expect(await ann.title()).toBe("(1) Tandem");
  });

  it("shows the other operator's note and tag in an open conversation without a reload", async () => {
    const { id } = await customerWrites(tenant.publicKey, "I need the invoice for order 88");
    await bob.click(`[data-testid=conversation-row][data-id="${id}"]`);
    await bob.click("[data-testid=claim]");
    await bob.locator("[data-testid=conversation-status][data-status=assigned]").waitFor();

    const note = await annApi.request(`/api/ops/workbench/conversations/${id}/notes`, { method: "POST", body: JSON.stringify({ body: "Invoices are in the billing tool" }) });
    expect(note.status).toBe(201);
    await bob.locator("[data-testid=note]", { hasText: "Invoices are in the billing tool" }).waitFor();
    const tag = await annApi.request(`/api/ops/workbench/conversations/${id}/tags`, { method: "POST", body: JSON.stringify({ name: "invoice", color: "#0ea5e9" }) });
    expect(tag.status).toBe(200);
    await bob.locator("[data-testid=conversation-tags] [data-testid=tag][data-name=invoice]").waitFor();
    await shot(bob, "dashboard-live-note-and-tag");
  });

  it("keeps the supervisor view current as operators and customers change", async () => {
    await ann.goto(`${stack().url}/dashboard/#/supervisor`);
    const bobRow = ann.locator(`[data-testid=sv-operator][data-operator="${tenant.agent.id}"]`);
    await bobRow.waitFor();
    const bobApi = await signIn(tenant.agent.email, tenant.agent.password);
    await setPresence(bobApi, "away");
    await bobRow.locator(".sv-presence.away").waitFor();
    const { id } = await customerWrites(tenant.publicKey, "A new one for the supervisor");
    await ann.locator(`[data-testid=sv-conversation][data-conversation="${id}"]`).waitFor();
    await shot(ann, "dashboard-live-supervisor");
  });

  it("draws a long queue a screenful at a time and the rest as it scrolls (D13)", async () => {
    const now = Date.now();
    await seedConversations(
      database(),
      tenant.workspaceId,
      tenant.siteId,
      Array.from({ length: 60 }, (_, i) => ({ name: `Waiting ${i + 1}`, messages: [`Question ${i + 1}`], at: now - (60 - i) * 1000 })),
    );
    await ann.goto(`${stack().url}/dashboard/`);
    await ann.click("[data-testid=tab-queue]");
    const rows = ann.locator("[data-testid=conversation-row]");
    await ann.locator("[data-testid=rows-more]").waitFor();
    const first = await rows.count();
    expect(first).toBeLessThan(40);
    // Scrolling to the end of the drawn rows draws the next ones, until all are there.
    for (let i = 0; i < 10 && (await ann.locator("[data-testid=rows-more]").count()) > 0; i++) {
      const before = await rows.count();
      await ann.evaluate(() => document.querySelector("[data-testid=rows-more]")?.scrollIntoView());
      await expect.poll(() => rows.count()).toBeGreaterThan(before);
    }
    await expect.poll(() => ann.locator("[data-testid=conversation-row][data-status=queued]").count()).toBeGreaterThanOrEqual(60);
    expect(await ann.locator("[data-testid=rows-more]").count()).toBe(0);
  });

  it("threw no errors", () => {
    expect(errors).toEqual([]);
  });
});
