import { eq } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { database, joinConversation, say, type TestSocket } from "../scripts/test-kit/clients";
import { conversations, messages } from "../worker/src/db/schema";
import {
  activeConversation,
  customerPage,
  customerSays,
  hostPage,
  openPanel,
  operatorOf,
  shot,
  siteWith,
  startHost,
} from "./widget-kit";

// The conversation as the customer lives it: a flaky network, waiting in the
// queue, an operator arriving, typing and read marks, news while the panel
// is closed, and the rating after the close.

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

const status = (page: Page) => page.locator(".status").textContent();

async function storedBodies(conversationId: string) {
  const rows = await database().select({ body: messages.body }).from(messages).where(eq(messages.conversationId, conversationId));
  return rows.map((row) => row.body);
}

describe("the widget's conversation", BROWSER, () => {
  it("keeps a message written offline as pending and delivers it once when the network returns", async () => {
    const tenant = await siteWith();
    const { page, context, console } = await customerPage(browser);
    await page.goto(host.set("/offline", hostPage(tenant.publicKey)));
    await openPanel(page);
    await customerSays(page, "First, while online");
    const conversationId = (await activeConversation(page, tenant.publicKey))!;

    await context.setOffline(true);
    await page.fill(".composer textarea", "Written in a tunnel");
    await page.press(".composer textarea", "Enter");
    const pending = page.locator("[data-author-kind][data-pending=true]", { hasText: "Written in a tunnel" });
    await pending.waitFor();
    await expect(status(page)).resolves.toMatch(/offline/i);
    await shot(page, "widget-offline-pending");

    await context.setOffline(false);
    await page.locator("[data-author-kind][data-seq]", { hasText: "Written in a tunnel" }).waitFor();
    await pending.waitFor({ state: "detached" });
    // A reload shows the same history, once.
    await page.reload();
    await openPanel(page);
    await page.locator("[data-author-kind][data-seq]", { hasText: "Written in a tunnel" }).waitFor();
    expect(await page.locator("[data-author-kind]", { hasText: "Written in a tunnel" }).count()).toBe(1);
    expect((await storedBodies(conversationId)).filter((body) => body === "Written in a tunnel")).toHaveLength(1);
    expect(console.filter((line) => !line.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
  });

  it("shows the queue place live, then the operator who joins, typing both ways and read marks", async () => {
    const tenant = await siteWith();
    const first = await customerPage(browser);
    const second = await customerPage(browser);
    const url = host.set("/queue", hostPage(tenant.publicKey));
    for (const customer of [first, second]) {
      await customer.page.goto(url);
      await openPanel(customer.page);
    }
    await customerSays(first.page, "I was here first");
    await customerSays(second.page, "And I came second");
    await expect.poll(() => status(first.page)).toMatch(/#1 in line/);
    await expect.poll(() => status(second.page)).toMatch(/#2 in line/);
    await shot(second.page, "widget-queue-position");

    const operator = await operatorOf(tenant);
    const firstId = (await activeConversation(first.page, tenant.publicKey))!;
    expect((await operator.request(`/api/ops/conversations/${firstId}/claim`, { method: "POST" })).status).toBe(200);
    // The one behind moves up without a reload; the first now has a person, by name.
    await expect.poll(() => status(second.page)).toMatch(/#1 in line/);
    await expect.poll(() => first.page.locator(".header .name").textContent()).toBe(tenant.owner.name);
    await expect(first.page.locator(".avatar").textContent()).resolves.toBe(tenant.owner.name[0]);

    // Typing, both ways.
    const room: TestSocket = await joinConversation(firstId, { cookie: operator.cookie });
    room.send({ type: "typing", typing: true });
    await first.page.locator(".typing", { hasText: `${tenant.owner.name} is typing` }).waitFor();
    const from = room.frames.length;
    await first.page.type(".composer textarea", "Still the");
    await room.next((frame) => frame.type === "typing" && frame.typing === true && frame.authorKind === "visitor", { from });

    // Delivered (the room stored it) until the operator reads it, then read.
    await first.page.fill(".composer textarea", "Are you reading this?");
    await first.page.press(".composer textarea", "Enter");
    const mine = first.page.locator("[data-author-kind][data-seq]", { hasText: "Are you reading this?" });
    await mine.waitFor();
    expect(await mine.getAttribute("data-receipt")).toBe("delivered");
    room.send({ type: "read", seq: Number(await mine.getAttribute("data-seq")) });
    await expect.poll(() => mine.getAttribute("data-receipt")).toBe("read");
    // And the other way: the customer, panel open, reads the operator's reply.
    const reply = await say(room, "Yes, I am.");
    await room.next((frame) => frame.type === "read" && frame.by === "visitor" && Number(frame.seq) >= reply.seq);
    await shot(first.page, "widget-operator-joined");
    await room.close();
    expect([...first.console, ...second.console]).toEqual([]);
  });

  it("announces a reply while the panel is closed: badge, title, and links that are only ever links", async () => {
    const tenant = await siteWith();
    const { page, console } = await customerPage(browser);
    // Count the tones the widget starts (the page has had a click, so the browser lets it play).
    await page.addInitScript(() => {
      const start = OscillatorNode.prototype.start;
      (window as unknown as { tones: number }).tones = 0;
      OscillatorNode.prototype.start = function (...args) {
        (window as unknown as { tones: number }).tones++;
        return start.apply(this, args);
      };
    });
    await page.goto(host.set("/unread", hostPage(tenant.publicKey, { title: "Northwind" })));
    await openPanel(page);
    await customerSays(page, "Ping me when you know");
    await page.click("#l");
    await page.locator(".panel").waitFor({ state: "detached" });

    const operator = await operatorOf(tenant);
    const conversationId = (await activeConversation(page, tenant.publicKey))!;
    const room = await joinConversation(conversationId, { cookie: operator.cookie });
    await say(room, "Tracking: https://track.example/123?x=1. Not this: javascript:alert(1) <b>bold</b>");
    await say(room, "Anything else?");
    await expect.poll(() => page.locator(".badge").textContent()).toBe("2");
    await expect.poll(() => page.title(), { timeout: 5000 }).toBe("(2) New messages");
    expect(await page.evaluate(() => (window as unknown as { tones: number }).tones)).toBeGreaterThanOrEqual(1);
    await shot(page, "widget-unread-badge");

    // The page changes its own title meanwhile: that title stays once the blinking stops.
    await page.evaluate(() => (document.title = "Northwind — Cart"));
    await page.waitForTimeout(1200);
    await openPanel(page);
    expect(await page.locator(".badge").isHidden()).toBe(true);
    await expect.poll(() => page.title()).toBe("Northwind — Cart");
    const reply = page.locator("[data-author-kind][data-author-kind=operator]", { hasText: "Tracking" });
    const links = await reply.locator("a").evaluateAll((anchors) =>
      anchors.map((a) => [a.getAttribute("href"), a.getAttribute("rel"), a.getAttribute("target")]),
    );
    expect(links).toEqual([["https://track.example/123?x=1", "noopener noreferrer", "_blank"]]);
    expect(await reply.locator("b").count()).toBe(0);
    await expect(reply.locator(".bubble").textContent()).resolves.toContain("<b>bold</b>");
    await room.close();
    expect(console).toEqual([]);
  });

  it("works on a phone: the panel fills the screen, replies arrive, the rating follows the close", async () => {
    const tenant = await siteWith();
    const { page, console } = await customerPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(host.set("/phone", hostPage(tenant.publicKey)));
    await page.tap("#l");
    expect(await page.locator(".panel").boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    // New lines are read out by screen readers.
    expect(await page.locator(".messages").evaluate((log) => [log.getAttribute("role"), log.getAttribute("aria-live")])).toEqual([
      "log",
      "polite",
    ]);
    await customerSays(page, "Do you ship to Lviv?");
    const conversationId = (await activeConversation(page, tenant.publicKey))!;
    const operator = await operatorOf(tenant);
    const room = await joinConversation(conversationId, { cookie: operator.cookie });
    await say(room, "Yes, in 2–3 days.");
    await page.locator("[data-author-kind=operator]", { hasText: "2–3 days" }).waitFor();
    expect((await operator.request(`/api/ops/conversations/${conversationId}/close`, { method: "POST" })).status).toBe(200);
    await page.locator(".rating").waitFor();
    await page.tap(".rating fieldset button:nth-of-type(1)");
    await page.tap(".stars button:nth-child(5)");
    expect(await page.locator(".rating textarea").count()).toBe(0);
    await shot(page, "widget-phone-rating");
    await page.tap(".rating .primary");
    await page.locator(".panel", { hasText: "Thank you for your feedback" }).waitFor();
    const [row] = await database()
      .select({ rating: conversations.rating, resolved: conversations.resolved })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    expect(row).toEqual({ rating: 5, resolved: true });
    await room.close();
    expect(console).toEqual([]);
  });

  it("asks for a rating after the close, and a comment below 3 stars", async () => {
    const tenant = await siteWith();
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/rating", hostPage(tenant.publicKey)));
    await openPanel(page);
    await customerSays(page, "My grinder is squeaking");
    const conversationId = (await activeConversation(page, tenant.publicKey))!;
    const operator = await operatorOf(tenant);
    expect((await operator.request(`/api/ops/conversations/${conversationId}/close`, { method: "POST" })).status).toBe(200);

    await page.locator(".rating").waitFor();
    await page.click(".rating fieldset button:nth-of-type(2)");
    await page.click(".stars button:nth-child(4)");
    expect(await page.locator(".rating textarea").count()).toBe(0);
    await page.click(".stars button:nth-child(2)");
    await page.fill(".rating textarea", "Nobody told me how to fix it");
    await shot(page, "widget-rating");
    await page.click(".rating .primary");
    await page.locator(".panel", { hasText: "Thank you for your feedback" }).waitFor();

    const [row] = await database()
      .select({ rating: conversations.rating, comment: conversations.ratingComment, resolved: conversations.resolved })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    expect(row).toEqual({ rating: 2, comment: "Nobody told me how to fix it", resolved: false });
    expect(console).toEqual([]);
  });
});
