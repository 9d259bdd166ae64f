import { newId } from "@tandem/protocol";
import { and, eq } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { createTenant, database, signIn, startVisitor, stack, type Operator, type Tenant } from "../scripts/test-kit/clients";
import { conversationTags, conversations, events, messages, sites, tags } from "../worker/src/db/schema";
import { hostPage, startHost } from "./widget-kit";

// Working a conversation in a real browser (D4–D6): an operator in the
// dashboard and a customer on a shop page, each in their own context.

let browser: Browser;
let host: Awaited<ReturnType<typeof startHost>>;
let tenant: Tenant;
let owner: Operator;
let customer: Page;
let operator: Page;
let visitorToken = "";
let firstId: string;
let secondId: string;
const errors: string[] = [];

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

async function customerSays(text: string) {
  await customer.fill(".composer textarea", text);
  await customer.press(".composer textarea", "Enter");
  await customer.locator("[data-author-kind][data-seq]", { hasText: text }).waitFor();
}

/** The newest queued conversation of the tenant whose preview has `text`. */
async function queuedWith(text: string) {
  for (let i = 0; i < 100; i++) {
    const { conversations: list } = (await (await owner.request("/api/ops/conversations?status=queued")).json()) as {
      conversations: { id: string; preview: string | null }[];
    };
    const found = list.find((c) => c.preview?.includes(text));
    if (found) return found.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no queued conversation says ${text}`);
}

/** A conversation of `count` messages spread over three days, written straight to libSQL before any room opens it. */
async function longHistory(count: number) {
  const visitor = await startVisitor(tenant.publicKey);
  const id = await visitor.createConversation({ url: "https://shop.example/history" });
  const now = Date.now();
  const day = 24 * 60 * 60_000;
  const midnight = new Date(now).setHours(0, 0, 0, 0);
  // Today's part fits between midnight (or an hour ago) and now, whatever the time of the run.
  const todayFrom = Math.max(midnight, now - 3_600_000);
  const step = Math.floor((now - todayFrom) / count);
  const rows = Array.from({ length: count }, (_, i) => {
    const seq = i + 1;
    // The first third two days ago, the next yesterday (from noon), the rest today.
    const at = seq <= count / 3 ? midnight - 2 * day + 43_200_000 + seq * 60_000 : seq <= (2 * count) / 3 ? midnight - day + 43_200_000 + seq * 60_000 : todayFrom + seq * step;
    const authorKind = seq <= 10 ? "bot" : seq % 2 ? "visitor" : "operator";
    return {
      id: newId(at),
      conversationId: id,
      seq,
      clientMsgId: newId(at),
      authorKind: authorKind as "bot" | "visitor" | "operator",
      authorId: null,
      body: `History message ${seq}`,
      kind: "text" as const,
      meta: authorKind === "operator" ? { name: "Earlier Operator" } : {},
      createdAt: at,
    };
  });
  const db = database();
  for (let i = 0; i < rows.length; i += 50) await db.insert(messages).values(rows.slice(i, i + 50));
  await db
    .update(conversations)
    .set({ lastSeq: count, lastMessageAt: rows.at(-1)!.createdAt, preview: rows.at(-1)!.body, status: "queued", escalatedAt: now })
    .where(eq(conversations.id, id));
  return id;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  tenant = await createTenant("Workbench");
  await database().update(sites).set({ reopenMinutes: 0 }).where(eq(sites.id, tenant.siteId));
  owner = await signIn(tenant.owner.email, tenant.owner.password);
  const made = await owner.request("/api/ops/workbench/canned", {
    method: "POST",
    body: JSON.stringify({ shortcut: "hello", body: "Hi {name}, {operator} here. Let me check that for you.", shared: true }),
  });
  expect(made.status).toBe(201);
  await owner.request("/api/ops/workbench/canned", { method: "POST", body: JSON.stringify({ shortcut: "thanks", body: "Thanks for waiting!" }) });

  host = await startHost();
  browser = await launchBrowser();
  customer = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  operator = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
  for (const [who, page] of [["customer", customer], ["operator", operator]] as const) {
    page.on("pageerror", (error) => errors.push(`${who}: ${error.message}`));
  }
  // The widget's own token, to ask the widget API what a customer can see.
  customer.on("response", (response) => {
    if (response.url().endsWith("/api/widget/session") && response.ok()) {
      void response.json().then((body: { token: string }) => (visitorToken = body.token)).catch(() => {});
    }
  });
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

describe("working a conversation in the dashboard", BROWSER, () => {
  it("has a customer with an earlier, closed conversation and a new one waiting", async () => {
    const shop = host.set("/shop", hostPage(tenant.publicKey, { before: "Tandem('setContext', { orderId: '1042', plan: 'pro' });" }));
    await customer.goto(`${shop}?utm_source=newsletter`);
    await customer.click("#l");
    await customer.locator(".panel").waitFor();
    await customerSays("My first question, about returns");
    firstId = await queuedWith("about returns");
    expect((await owner.request(`/api/ops/conversations/${firstId}/claim`, { method: "POST" })).status).toBe(200);
    expect((await owner.request(`/api/ops/conversations/${firstId}/close`, { method: "POST" })).status).toBe(200);
    // The site reopens nothing (window 0), so the next message starts a second conversation.
    await customer.locator(".closed .rating").waitFor();
    await customerSays("Where is my order 1042?");
    secondId = await queuedWith("order 1042");
  });

  it("signs the operator in and shows the customer card with the page context and the site's fields", async () => {
    await operator.goto(`${stack().url}/dashboard/`);
    await operator.fill("[data-testid=login-email]", tenant.owner.email);
    await operator.fill("[data-testid=login-password]", tenant.owner.password);
    await operator.click("[data-testid=login-submit]");
    await operator.locator("[data-testid=tab-queue]").waitFor();
    await operator.click(`[data-testid=conversation-row][data-id="${secondId}"]`);
    await operator.click("[data-testid=claim]");
    await operator.locator("[data-testid=conversation-status][data-status=assigned]").waitFor();
    const custom = operator.locator("[data-testid=custom-context]");
    await custom.waitFor();
    expect(await custom.textContent()).toContain("1042");
    expect(await operator.locator("[data-testid=page-context]").textContent()).toContain("utm_source=newsletter");
  });

  it("shows where the customer is now, live, and the pages they came through", async () => {
    const current = operator.locator("[data-testid=current-page]");
    await current.waitFor();
    expect(await current.textContent()).toContain("/shop");
    // The customer moves on inside the shop (a single-page app's route): the card follows without a reload.
    await customer.evaluate(() => {
      history.pushState({}, "", "/shop/checkout");
      document.title = "Checkout";
    });
    await operator.locator("[data-testid=current-page]", { hasText: "/shop/checkout" }).waitFor();
    expect(await operator.locator("[data-testid=trail]").textContent()).toContain("/shop");
    await shot(operator, "workbench-live-page");
    // Back on the page the host serves, for the reloads below.
    await customer.evaluate(() => history.back());
    await operator.locator("[data-testid=current-page]", { hasText: /\/shop(?!\/checkout)/ }).waitFor();
  });

  it("lists the earlier conversation and links to it", async () => {
    const link = operator.locator(`[data-testid=previous-conversation][data-id="${firstId}"]`);
    await link.waitFor();
    expect(await link.textContent()).toContain("closed");
    await link.click();
    await operator.locator("[data-testid=message][data-author-kind=visitor]", { hasText: "about returns" }).waitFor();
    expect(new URL(operator.url()).hash).toBe(`#/c/${firstId}`);
    await operator.goBack();
    await operator.locator("[data-testid=message][data-author-kind=visitor]", { hasText: "order 1042" }).waitFor();
  });

  it("lets the operator correct the customer's name and e-mail, and logs the edit", async () => {
    await operator.click("[data-testid=contact-edit]");
    await operator.fill("[data-testid=contact-name]", "Ann");
    await operator.fill("[data-testid=contact-email]", "ann@example.test");
    await operator.click("[data-testid=contact-save]");
    await operator.locator("[data-testid=contact-email-value]", { hasText: "ann@example.test" }).waitFor();
    const logged = await database()
      .select()
      .from(events)
      .where(and(eq(events.workspaceId, tenant.workspaceId), eq(events.type, "contact_edited")));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ actorId: tenant.owner.id, data: { changes: { email: { from: null, to: "ann@example.test" } } } });
  });

  it("fills a canned reply with the customer's name from /shortcut, keeps it editable, and sends it", async () => {
    const input = operator.locator("[data-testid=reply-input]");
    await input.click();
    await input.pressSequentially("/hel");
    await operator.locator("[data-testid=canned-item][data-shortcut=hello]").waitFor();
    expect(await operator.locator("[data-testid=canned-item]").count()).toBe(1);
    await input.press("Enter");
    await expect(input.inputValue()).resolves.toBe(`Hi Ann, ${tenant.owner.name} here. Let me check that for you.`);
    await input.pressSequentially(" One moment.");
    await shot(operator, "workbench-canned");
    await input.press("Enter");
    await customer.locator("[data-author-kind=operator]", { hasText: "Hi Ann" }).waitFor();
    expect(await customer.locator("[data-author-kind=operator]", { hasText: "Hi Ann" }).textContent()).toContain("Let me check that for you. One moment.");
  });

  it("opens the canned replies with one click and picks with the arrow keys", async () => {
    await operator.click("[data-testid=canned-open]");
    await operator.locator("[data-testid=canned-item]").first().waitFor();
    expect(await operator.locator("[data-testid=canned-item]").count()).toBe(2);
    await operator.press("[data-testid=reply-input]", "ArrowDown");
    await shot(operator, "workbench-canned-list");
    await operator.press("[data-testid=reply-input]", "Enter");
    await expect(operator.locator("[data-testid=reply-input]").inputValue()).resolves.toBe("Thanks for waiting!");
    await operator.fill("[data-testid=reply-input]", "");
  });

  it("makes a tag on the fly with a colour and puts it on the conversation", async () => {
    await operator.fill("[data-testid=tag-name]", "Delivery");
    await operator.locator("[data-testid=tag-color]").evaluate((el: HTMLInputElement) => {
      el.value = "#dc2626";
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await operator.click("[data-testid=tag-add]");
    await operator.locator("[data-testid=conversation-tags] [data-testid=tag][data-name=Delivery]").waitFor();
    const stored = await database()
      .select({ name: tags.name, color: tags.color })
      .from(conversationTags)
      .innerJoin(tags, eq(tags.id, conversationTags.tagId))
      .where(eq(conversationTags.conversationId, secondId));
    expect(stored).toEqual([{ name: "Delivery", color: "#dc2626" }]);
  });

  it("keeps a private note in the timeline that the customer never sees", async () => {
    await operator.click("[data-testid=mode-note]");
    await operator.fill("[data-testid=reply-input]", "Upset about the delay: offer a voucher");
    await operator.press("[data-testid=reply-input]", "Enter");
    const note = operator.locator("[data-testid=note]", { hasText: "offer a voucher" });
    await note.waitFor();
    expect(await note.textContent()).toContain("Private note");
    await operator.click("[data-testid=mode-reply]");
    await operator.fill("[data-testid=reply-input]", "Your parcel left the warehouse today.");
    await operator.press("[data-testid=reply-input]", "Enter");
    await customer.locator("[data-author-kind=operator]", { hasText: "left the warehouse" }).waitFor();
    await shot(operator, "workbench-conversation");

    // Not in the widget, live or after a reload, and not in anything the widget API answers.
    expect(await customer.locator("text=voucher").count()).toBe(0);
    await customer.reload();
    await customer.click("#l");
    await customer.locator("[data-author-kind=operator]", { hasText: "left the warehouse" }).waitFor();
    expect(await customer.locator("text=voucher").count()).toBe(0);
    expect(visitorToken).not.toBe("");
    for (const path of ["/api/widget/conversations", `/api/widget/conversations/${secondId}/messages`]) {
      const response = await fetch(`${stack().url}${path}`, { headers: { authorization: `Bearer ${visitorToken}` } });
      expect(response.status).toBe(200);
      expect(await response.text()).not.toContain("voucher");
    }
    await shot(customer, "workbench-customer");
  });

  it("loads a long history page by page as the operator scrolls up, with day separators and no jump", async () => {
    const id = await longHistory(130);
    await operator.goto(`${stack().url}/dashboard/#/c/${id}`);
    await operator.locator("[data-testid=message][data-seq='130']").waitFor();
    expect(await operator.locator("[data-testid=message][data-seq='80']").count()).toBe(0);
    const list = operator.locator(".messages");

    // Where message 81 sits before and after the page above it arrives.
    const top81 = () => operator.locator("[data-testid=message][data-seq='81']").evaluate((el) => el.getBoundingClientRect().top);
    await list.evaluate((el) => (el.scrollTop = 100));
    const before = await top81();
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    await list.evaluate((el) => el.dispatchEvent(new Event("scroll")));
    await operator.locator("[data-testid=message][data-seq='31']").waitFor();
    const after = await top81();
    // Scrolled from 100 to 0 (100 px down the screen), then the page above keeps it put.
    expect(Math.abs(after - (before + 100))).toBeLessThan(40);

    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    await operator.locator("[data-testid=message][data-seq='1']").waitFor();
    expect(await operator.locator("[data-testid=message][data-author-kind=bot]").count()).toBe(10);
    const seqs = await operator.$$eval("[data-testid=message][data-seq]", (items) => items.map((i) => Number(i.getAttribute("data-seq"))));
    expect(seqs).toEqual(Array.from({ length: 130 }, (_, i) => i + 1));
    const days = await operator.$$eval("[data-testid=day]", (items) => items.map((i) => i.textContent));
    expect(days).toHaveLength(3);
    expect(days.slice(1)).toEqual(["Yesterday", "Today"]);
    expect(days[0]).not.toMatch(/Today|Yesterday/);
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    await shot(operator, "workbench-history");
  });

  it("manages canned replies and tags in the settings", async () => {
    await operator.goto(`${stack().url}/dashboard/#/settings/canned`);
    await operator.locator("[data-testid=canned-row][data-shortcut=hello]").waitFor();
    await operator.fill("[data-testid=canned-shortcut]", "Tracking");
    await operator.fill("[data-testid=canned-body]", "Your tracking link: {name}");
    await operator.click("[data-testid=canned-add]");
    await operator.locator("[data-testid=canned-row][data-shortcut=tracking]").waitFor();
    await operator.fill("[data-testid=canned-shortcut]", "bad shortcut");
    await operator.fill("[data-testid=canned-body]", "x");
    await operator.click("[data-testid=canned-add]");
    await expect(operator.locator(".form-error").textContent()).resolves.toMatch(/Shortcut: use 1–32 letters/);
    await shot(operator, "workbench-settings-canned");

    await operator.goto(`${stack().url}/dashboard/#/settings/tags`);
    const row = operator.locator("[data-testid=tag-row][data-name=Delivery]");
    await row.waitFor();
    await row.locator("[data-testid=tag-rename]").fill("Shipping");
    await row.locator("[data-testid=tag-rename]").press("Enter");
    await operator.locator("[data-testid=tag-row][data-name=Shipping]").waitFor();
    await shot(operator, "workbench-settings-tags");
    operator.once("dialog", (dialog) => void dialog.accept());
    await operator.click("[data-testid=tag-row][data-name=Shipping] [data-testid=tag-delete]");
    await operator.locator("[data-testid=tag-row]").first().waitFor({ state: "detached" });
    expect(await database().select().from(conversationTags).where(eq(conversationTags.conversationId, secondId))).toEqual([]);
  });

  it("threw no errors in either page", () => {
    expect(errors).toEqual([]);
  });
});
