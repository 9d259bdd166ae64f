import { newId } from "@tandem/protocol";
import { eq } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { database, strictStack } from "../scripts/test-kit/clients";
import { conversations, messages } from "../worker/src/db/schema";
import { RATES } from "../worker/src/limits/rates";
import { activeConversation, customerPage, customerSays, hostPage, openPanel, shot, siteWith, startHost } from "./widget-kit";

// What the customer sees when the server says "not now" (rate limits) or
// "never" (a message it cannot take), and a conversation longer than a
// resume's page.

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

async function storedBodies(conversationId: string) {
  const rows = await database().select({ body: messages.body }).from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq);
  return rows.map((row) => row.body);
}

/** Types into the widget's box as a person would, even text a keyboard cannot make (a lone surrogate). */
async function typeRaw(page: Page, text: string) {
  await page.locator(".composer textarea").evaluate((element, value) => {
    const box = element as HTMLTextAreaElement;
    box.value = value;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
  await page.press(".composer textarea", "Enter");
}

describe("the widget when the server refuses", BROWSER, () => {
  it("keeps what it was told to hold back, says so, and sends it all once the wait is over", async () => {
    const tenant = await siteWith({}, "Held");
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/held", hostPage(tenant.publicKey, { server: strictStack().url })));
    await openPanel(page);
    await customerSays(page, "line 0");
    const bodies = Array.from({ length: RATES.send.burst + 4 }, (_, i) => `line ${i + 1}`);
    // Typed in the page itself, a few milliseconds apart: faster than the limit refills on any machine.
    await page.locator(".composer textarea").evaluate(async (element, texts) => {
      const box = element as HTMLTextAreaElement;
      for (const text of texts) {
        box.value = text;
        box.dispatchEvent(new Event("input", { bubbles: true }));
        await new Promise((resolve) => setTimeout(resolve));
        box.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
        await new Promise((resolve) => setTimeout(resolve));
      }
    }, bodies);
    // The room put the last few off: they stay, marked as waiting, and the customer is told why.
    const held = page.locator("[data-pending=true] .meta", { hasText: /Too many at once/ });
    await held.first().waitFor();
    await shot(page, "widget-held-by-rate-limit");
    await held.first().waitFor({ state: "detached", timeout: 30_000 });
    await page.locator("[data-author-kind][data-seq]", { hasText: bodies.at(-1) }).waitFor();
    const id = (await activeConversation(page, tenant.publicKey))!;
    expect(await storedBodies(id)).toEqual(["line 0", ...bodies]);
    expect(console).toEqual([]);
  });

  it("shows a message the server cannot take as not sent, never sends it again, and lets the customer edit or remove it", async () => {
    const tenant = await siteWith({}, "Failed");
    const { page } = await customerPage(browser);
    await page.goto(host.set("/failed", hostPage(tenant.publicKey)));
    await openPanel(page);
    await customerSays(page, "Hello");
    const id = (await activeConversation(page, tenant.publicKey))!;

    await typeRaw(page, "broken \ud800 text");
    const failed = page.locator("[data-failed=true]");
    await failed.waitFor();
    await expect(failed.locator(".meta").textContent()).resolves.toMatch(/Not sent/);
    await shot(page, "widget-message-not-sent");

    // It stays failed across a reload: not resent, not lost.
    await page.reload();
    await openPanel(page);
    await failed.waitFor();
    await customerSays(page, "Another line");

    // Edit puts the text back in the box and takes it out of the list.
    await failed.getByRole("button", { name: "Edit" }).click();
    await failed.waitFor({ state: "detached" });
    await expect.poll(() => page.inputValue(".composer textarea")).toBe("broken \ud800 text");
    await page.fill(".composer textarea", "broken text, fixed");
    await page.press(".composer textarea", "Enter");
    await page.locator("[data-author-kind][data-seq]", { hasText: "broken text, fixed" }).waitFor();

    // Remove drops it.
    await typeRaw(page, "again \udc00");
    await failed.waitFor();
    await failed.getByRole("button", { name: "Remove" }).click();
    await failed.waitFor({ state: "detached" });

    expect(await storedBodies(id)).toEqual(["Hello", "Another line", "broken text, fixed"]);
    const outbox = await page.evaluate((key) => localStorage.getItem(key), `tandem:outbox:${id}`);
    expect(JSON.parse(outbox ?? "[]")).toEqual([]);
  });

  it("shows the newest page of a long conversation and the earlier ones on request", async () => {
    const tenant = await siteWith({}, "Long");
    const { page } = await customerPage(browser);
    await page.goto(host.set("/long", hostPage(tenant.publicKey)));
    await openPanel(page);
    await customerSays(page, "message 1");
    const id = (await activeConversation(page, tenant.publicKey))!;
    const [conversation] = await database().select().from(conversations).where(eq(conversations.id, id));
    const rows = Array.from({ length: 159 }, (_, i) => ({
      id: newId(),
      conversationId: id,
      seq: i + 2,
      clientMsgId: newId(),
      authorKind: "visitor" as const,
      authorId: conversation!.visitorId,
      body: `message ${i + 2}`,
      createdAt: Date.now() + i,
    }));
    await database().insert(messages).values(rows.slice(0, 80));
    await database().insert(messages).values(rows.slice(80));
    await database().update(conversations).set({ lastSeq: 160 }).where(eq(conversations.id, id));

    // After a reload the widget resumes from nothing: the room sends the newest hundred.
    await page.reload();
    await openPanel(page);
    await page.locator("[data-seq='160']").waitFor();
    expect(await page.locator("[data-author-kind][data-seq]").count()).toBe(100);
    await page.getByRole("button", { name: "Earlier messages" }).click();
    await expect.poll(() => page.locator("[data-author-kind][data-seq]").count()).toBe(150);
    await page.getByRole("button", { name: "Earlier messages" }).click();
    await expect.poll(() => page.locator("[data-author-kind][data-seq]").count()).toBe(160);
    await page.getByRole("button", { name: "Earlier messages" }).waitFor({ state: "detached" });
    const seqs = await page.locator("[data-author-kind][data-seq]").evaluateAll((items) => items.map((item) => Number(item.getAttribute("data-seq"))));
    expect(seqs).toEqual(Array.from({ length: 160 }, (_, i) => i + 1));
  });
});
