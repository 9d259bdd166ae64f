import { eq } from "drizzle-orm";
import { createHmac } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { database } from "../scripts/test-kit/clients";
import { contacts, conversations, sites, visitors } from "../worker/src/db/schema";
import {
  activeConversation,
  customerPage,
  customerSays,
  hostPage,
  openPanel,
  shot,
  siteWith,
  startHost,
  storedSite,
} from "./widget-kit";

// What a site's settings make of the widget (languages, look, phones, the
// pre-chat form, working hours), and what it refuses: hostile page CSS,
// an origin the site did not allow, an identify with a bad hash.

let browser: Browser;
let host: Awaited<ReturnType<typeof startHost>>;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
  host = await startHost();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const placeholder = (page: Page) => page.locator(".composer textarea").getAttribute("placeholder");

async function contactOf(page: Page, siteKey: string) {
  const token = (await page.evaluate((key) => localStorage.getItem(`tandem:token:${key}`), siteKey))!;
  // The token's payload names the visitor (`v`); the contact is looked up fresh, as identify may move it.
  const visitorId = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).v as string;
  const [row] = await database()
    .select({ name: contacts.name, email: contacts.email, phone: contacts.phone, externalId: contacts.externalId })
    .from(visitors)
    .innerJoin(contacts, eq(contacts.id, visitors.contactId))
    .where(eq(visitors.id, visitorId));
  return row!;
}

describe("languages", BROWSER, () => {
  it("speaks the page's language, the site's when it has one, and the browser's when the page says nothing", async () => {
    const tenant = await siteWith();
    const cases = [
      { lang: "ru", locale: "en-US", want: "Напишите сообщение…" },
      { lang: "uk", locale: "en-US", want: "Напишіть повідомлення…" },
      { lang: "en", locale: "ru-RU", want: "Write a message…" },
      { lang: undefined, locale: "uk-UA", want: "Напишіть повідомлення…" },
    ];
    for (const { lang, locale, want } of cases) {
      const { page, context, console } = await customerPage(browser, { locale });
      await page.goto(host.set(`/lang-${lang}-${locale}`, hostPage(tenant.publicKey, { lang })));
      await openPanel(page);
      await expect.poll(() => placeholder(page)).toBe(want);
      if (lang === "ru") await shot(page, "widget-russian");
      expect(console).toEqual([]);
      await context.close();
    }

    // The site's setting wins over the page.
    const ukrainian = await siteWith({ look: { language: "uk" } });
    const { page } = await customerPage(browser);
    await page.goto(host.set("/lang-site", hostPage(ukrainian.publicKey, { lang: "en" })));
    await openPanel(page);
    await expect.poll(() => placeholder(page)).toBe("Напишіть повідомлення…");
    await expect.poll(() => page.locator(".status").textContent()).toBe("Зазвичай відповідаємо за кілька хвилин");
  });
});

describe("the site's look", BROWSER, () => {
  const look = { color: "#0f766e", position: "left", greeting: "Welcome to Northwind! Ask us anything.", dark: "dark" };

  it("takes colour, side, greeting and dark mode from the site, and fills a phone's screen", async () => {
    const tenant = await siteWith({ look });
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/look", hostPage(tenant.publicKey)));
    await openPanel(page);
    const panel = page.locator(".panel");
    await panel.getByText(look.greeting).waitFor();
    const launcher = await page.locator("#l").boundingBox();
    expect(launcher!.x).toBeLessThan(100);
    expect((await panel.boundingBox())!.x).toBeLessThan(100);
    const colours = await panel.evaluate((element) => ({
      background: getComputedStyle(element).backgroundColor,
      header: getComputedStyle(element.querySelector(".header")!).backgroundColor,
    }));
    expect(colours).toEqual({ background: "rgb(15, 23, 42)", header: "rgb(15, 118, 110)" });
    await shot(page, "widget-site-look-dark");

    // The next page view shows the launcher on the site's side and in its colour before the app comes.
    await page.reload();
    await page.locator("#l").waitFor();
    expect((await page.locator("#l").boundingBox())!.x).toBeLessThan(100);
    expect(await page.locator("#l").evaluate((button) => getComputedStyle(button).backgroundColor)).toBe("rgb(15, 118, 110)");
    expect(await page.evaluate(() => performance.getEntriesByType("resource").some((r) => r.name.endsWith("/app.js")))).toBe(false);
    await openPanel(page);

    const phone = await customerPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.page.goto(host.set("/look-phone", hostPage(tenant.publicKey)));
    await phone.page.tap("#l");
    const box = await phone.page.locator(".panel").boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    await customerSays(phone.page, "Hello from my phone");
    await shot(phone.page, "widget-phone");
    // Keyboard: Escape closes the panel and focus returns to the launcher.
    await page.keyboard.press("Escape");
    await panel.waitFor({ state: "detached" });
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("TANDEM-CHAT");
    expect([...console, ...phone.console]).toEqual([]);
  });

  it("looks the same on a page with aggressive global CSS", async () => {
    const tenant = await siteWith();
    // What a CSS framework and a careless site do to everything they can reach.
    const hostile = `<style>
      * { font-size: 30px !important; box-sizing: content-box !important; line-height: 3 !important; color: red !important;
          font-family: "Comic Sans MS", cursive !important; letter-spacing: 2px !important; }
      html, body { margin: 0; padding: 0; }
      button, input, textarea, select { all: unset; border: 5px dashed lime !important; padding: 20px !important; }
      div, section, header, ol, li, p, form { margin: 12px !important; padding: 8px !important; display: block !important; }
      svg { width: 80px !important; height: 80px !important; }
      tandem-chat { display: block !important; transform: rotate(2deg); filter: blur(1px); }
    </style>`;
    const shots: Buffer[] = [];
    for (const [name, head] of [["plain", ""], ["hostile", hostile]]) {
      const { page, console } = await customerPage(browser);
      await page.goto(host.set(`/css-${name}`, hostPage(tenant.publicKey, { head })));
      await openPanel(page);
      await page.locator(".status", { hasText: "We usually reply" }).waitFor();
      shots.push(await settledShot(page.locator(".panel")));
      await shot(page, `widget-css-${name}`);
      expect(console).toEqual([]);
    }
    expect(shots[1]!.equals(shots[0]!)).toBe(true);
  });
});

describe("the pre-chat form and working hours", BROWSER, () => {
  it("asks once for what the site wants to know, and stores it on the contact", async () => {
    const tenant = await siteWith({
      prechatForm: {
        fields: [
          { name: "name", required: true },
          { name: "email", required: false },
          { name: "topic", required: true },
        ],
        topics: ["Delivery", "Returns"],
      },
    });
    const { page, console } = await customerPage(browser);
    const url = host.set("/prechat", hostPage(tenant.publicKey));
    await page.goto(url);
    await openPanel(page);
    await page.locator(".prechat").waitFor();
    await expect(page.locator(".prechat").textContent()).resolves.toContain("How should we address you?");
    // The browser's own checks stop an empty required field.
    await page.click(".prechat .primary");
    expect(await page.locator(".prechat [name=name]").evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(false);
    await page.fill(".prechat [name=name]", "Olena");
    await page.fill(".prechat [name=email]", "olena@example.test");
    await page.selectOption(".prechat [name=topic]", "Returns");
    await shot(page, "widget-prechat");
    await page.click(".prechat .primary");
    await customerSays(page, "I want to return a grinder");

    const conversationId = (await activeConversation(page, tenant.publicKey))!;
    const [row] = await database().select({ topic: conversations.topic }).from(conversations).where(eq(conversations.id, conversationId));
    expect(row!.topic).toBe("Returns");
    expect(await contactOf(page, tenant.publicKey)).toMatchObject({ name: "Olena", email: "olena@example.test" });

    // Known now: the next conversation asks only for its topic.
    await page.click(".header .end");
    await page.locator(".closed .rating").waitFor();
    // A later visit, with the conversation closed: the form comes back for the topic alone.
    await page.reload();
    await openPanel(page);
    await page.locator(".prechat").waitFor();
    expect(await page.locator(".prechat [name=name]").count()).toBe(0);
    expect(await page.locator(".prechat [name=topic]").count()).toBe(1);
    expect(console).toEqual([]);
  });

  it("outside working hours says so and offers to leave an e-mail", async () => {
    const closed = { timeZone: "Europe/Kyiv", days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
    const tenant = await siteWith({ workingHours: closed });
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/away", hostPage(tenant.publicKey)));
    await openPanel(page);
    await page.locator(".prechat", { hasText: "We're away now" }).waitFor();
    await page.fill(".prechat [name=email]", "night-owl@example.test");
    await shot(page, "widget-away");
    await page.click(".prechat .primary");
    await customerSays(page, "Please write me about bulk orders");
    expect((await contactOf(page, tenant.publicKey)).email).toBe("night-owl@example.test");
    expect(console).toEqual([]);
  });
});

describe("refusals", BROWSER, () => {
  it("refuses a widget on an origin the site did not allow, with a clear console message", async () => {
    const tenant = await siteWith({ allowedOrigins: ["https://shop.example"] });
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/foreign", hostPage(tenant.publicKey)));
    await openPanel(page);
    await expect.poll(() => page.locator(".status").textContent()).toBe("The chat is unavailable. Please reload the page.");
    expect(console.join("\n")).toContain(`${host.url} is not an allowed origin for this site`);

    // The same site on an allowed origin works.
    await database().update(sites).set({ allowedOrigins: ["https://shop.example", host.url] }).where(eq(sites.id, tenant.siteId));
    const allowed = await customerPage(browser);
    await allowed.page.goto(host.set("/allowed", hostPage(tenant.publicKey)));
    await openPanel(allowed.page);
    await customerSays(allowed.page, "Hello from an allowed shop");
    expect(allowed.console).toEqual([]);
  });

  it("refuses identify with a bad hash and links the contact with a good one", async () => {
    const tenant = await siteWith({ identityRequired: true });
    const secret = (await storedSite(tenant)).identitySecret;
    const hash = createHmac("sha256", secret).update("customer-42").digest("hex");

    const bad = await customerPage(browser);
    const wrong = "0".repeat(64);
    await bad.page.goto(host.set("/identify-bad", hostPage(tenant.publicKey, {
      before: `Tandem('identify', { id: 'customer-42', name: 'Mallory', hash: '${wrong}' });`,
    })));
    await openPanel(bad.page);
    await expect.poll(() => bad.console.join("\n")).toContain("Tandem: identify was refused");
    expect((await contactOf(bad.page, tenant.publicKey)).externalId).toBeNull();

    const good = await customerPage(browser);
    await good.page.goto(host.set("/identify-good", hostPage(tenant.publicKey, {
      before: `Tandem('identify', { id: 'customer-42', name: 'Marta', email: 'marta@example.test', hash: '${hash}' });`,
    })));
    await openPanel(good.page);
    await expect.poll(() => contactOf(good.page, tenant.publicKey)).toMatchObject({ externalId: "customer-42", name: "Marta" });
    await customerSays(good.page, "Hi, it's Marta");

    // Someone else signs in on the same browser: none of Marta's conversation follows them.
    const other = createHmac("sha256", secret).update("customer-77").digest("hex");
    await good.page.evaluate((hash) => (window as unknown as { Tandem: (...a: unknown[]) => void }).Tandem("identify", { id: "customer-77", name: "Petro", hash }), other);
    await expect.poll(() => contactOf(good.page, tenant.publicKey)).toMatchObject({ externalId: "customer-77", name: "Petro" });
    await expect.poll(() => good.page.locator("[data-author-kind=visitor]").count()).toBe(0);
    expect(await activeConversation(good.page, tenant.publicKey)).toBeNull();

    // Signing out of the site makes this browser a new, anonymous visitor.
    const before = await good.page.evaluate((key) => localStorage.getItem(`tandem:token:${key}`), tenant.publicKey);
    await good.page.evaluate(() => (window as unknown as { Tandem: (...a: unknown[]) => void }).Tandem("logout"));
    await expect.poll(() => contactOf(good.page, tenant.publicKey)).toMatchObject({ externalId: null, name: null });
    expect(await good.page.evaluate((key) => localStorage.getItem(`tandem:token:${key}`), tenant.publicKey)).not.toBe(before);
    expect(good.console).toEqual([]);
  });
});

/** A screenshot once two in a row are the same: the page has finished drawing (Playwright's own rule for comparing screenshots). */
async function settledShot(locator: Locator) {
  let last = await locator.screenshot({ animations: "disabled" });
  for (let i = 0; i < 20; i++) {
    const next = await locator.screenshot({ animations: "disabled" });
    if (next.equals(last)) return next;
    last = next;
  }
  throw new Error("the widget never stopped changing");
}
