import { join } from "node:path";
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botTenant } from "../scripts/test-kit/bot-kit";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { database, joinConversation, say, stack, startVisitor, type Tenant } from "../scripts/test-kit/clients";
import { and, eq } from "drizzle-orm";
import { matchIntents, type KnowledgeBaseFile } from "../worker/src/bot/demo/evaluate";
import demo from "../worker/src/bot/demo/knowledge-base.json";
import { buildMatcher } from "../worker/src/bot/matcher";
import { intentPhrasings, intents } from "../worker/src/db/schema";
import { activeConversation, customerPage, customerSays, hostPage, openPanel, shot, startHost } from "./widget-kit";

// An unanswered question turned into a phrasing and then answered (B5): a
// customer asks the bot what it does not know and is handed to a person; the
// admin finds the question under Settings → Knowledge base, adds it to the
// Contacts intent, and the next customer asking the same gets the bot's answer.

let browser: Browser;
let host: Awaited<ReturnType<typeof startHost>>;
let tenant: Tenant;

const QUESTION = "Do you sell wholesale?";
const ON_THE_WAY = "an operator is on the way";
const CONTACTS = demo.intents.find((i) => i.key === "contacts")!;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [browser, host, tenant] = await Promise.all([launchBrowser(), startHost(), botTenant("Unanswered shop")]);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

/** A customer on the shop's English page asks one question; resolves with the bot's reply and the page. */
async function customerAsks(path: string) {
  const customer = await customerPage(browser);
  const { page } = customer;
  await page.goto(host.set(path, hostPage(tenant.publicKey, { lang: "en" })));
  await openPanel(page);
  await customerSays(page, QUESTION);
  const reply = page.locator("[data-author-kind=bot]").last();
  await reply.waitFor();
  return { ...customer, reply: (await reply.textContent())! };
}

async function adminPage(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${stack().url}/dashboard/`);
  await page.fill("[data-testid=login-email]", tenant.owner.email);
  await page.fill("[data-testid=login-password]", tenant.owner.password);
  await page.click("[data-testid=login-submit]");
  await page.locator("[data-testid=tab-queue]").waitFor();
  return page;
}

describe("unanswered questions in a real browser", BROWSER, () => {
  it("a question the bot could not answer is added as a phrasing, and the bot answers it next time", async () => {
    // 1. The bot does not know: it hands over, and the questions are listed. Someone asked much the same before.
    const earlier = await startVisitor(tenant.publicKey);
    const socket = await joinConversation(await earlier.createConversation(), { token: earlier.token });
    await say(socket, "Do you do wholesale?");
    await socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
    await socket.close();
    const first = await customerAsks("/wholesale-1");
    expect(first.reply).toContain(ON_THE_WAY);
    const conversationId = await activeConversation(first.page, tenant.publicKey);
    await shot(first.page, "unanswered-1-escalated");
    expect(first.console).toEqual([]);

    // 2. The admin opens Settings → Knowledge base and finds it, with a link to its conversation.
    const admin = await adminPage();
    const errors: string[] = [];
    admin.on("pageerror", (error) => errors.push(error.message));
    await admin.click("[data-testid=nav-settings]");
    await admin.click("[data-testid=settings-knowledge]");
    const group = admin.locator("[data-testid=ua-group]", { hasText: QUESTION });
    await group.waitFor();
    expect(await admin.textContent("[data-testid=ua-count]")).toBe("2");
    expect(await group.locator(".ua-text").allTextContents()).toEqual([QUESTION, "Do you do wholesale?"]);
    expect(await group.locator("[data-testid=ua-question]").first().textContent()).toMatch(/EN.*bot unsure/);
    expect(await group.locator("[data-testid=ua-conversation]").first().getAttribute("href")).toBe(`#/c/${conversationId}`);
    await admin.screenshot({ path: join(SCREENSHOTS, "unanswered-2-list.png"), fullPage: true });

    // 3. Adds the group to Contacts (the first question's words); the group leaves the list.
    const idOf = async (key: string) =>
      (await database().select({ id: intents.id }).from(intents).where(and(eq(intents.workspaceId, tenant.workspaceId), eq(intents.key, key))))[0].id;
    const contactsId = await idOf("contacts");
    // The matcher's best guess, too unsure to answer with, is preselected; the picker offers every intent.
    const [guess] = buildMatcher(matchIntents(demo as KnowledgeBaseFile)).match(QUESTION, { lang: "en", limit: 1 });
    expect(await group.locator("[data-testid=ua-intent]").inputValue()).toBe(await idOf(guess.intentId));
    expect(await group.locator("[data-testid=ua-intent] option").count()).toBe(demo.intents.length + 1);
    await group.locator("[data-testid=ua-intent]").selectOption(contactsId);
    await group.locator("[data-testid=ua-add]").click();
    await admin.locator("[data-testid=ua-notice]", { hasText: `Added “${QUESTION}” to ${CONTACTS.name}.` }).waitFor();
    await admin.locator("[data-testid=ua-empty]").waitFor();
    expect(await group.count()).toBe(0);
    expect(await admin.textContent("[data-testid=ua-count]")).toBe("0");
    // The intents table shows the new English phrasing.
    const before = CONTACTS.phrasings.en.length;
    await expect.poll(() => admin.locator("[data-testid=kb-row][data-key=contacts] .kb-count").textContent()).toMatch(new RegExp(`/ ${before + 1}$`));
    await admin.screenshot({ path: join(SCREENSHOTS, "unanswered-3-added.png"), fullPage: true });
    const stored = await database().select().from(intentPhrasings).where(and(eq(intentPhrasings.intentId, contactsId), eq(intentPhrasings.text, QUESTION)));
    expect(stored).toMatchObject([{ lang: "en", source: "unanswered" }]);
    expect(errors).toEqual([]);

    // 4. A second customer asks the same: the bot answers from Contacts, and no operator is called.
    const second = await customerAsks("/wholesale-2");
    expect(second.reply).toContain(CONTACTS.answer.en);
    expect(second.reply).not.toContain(ON_THE_WAY);
    expect(await second.page.locator(".status").textContent()).not.toContain("operator is on the way");
    await shot(second.page, "unanswered-4-answered");
    expect(second.console).toEqual([]);
  });
});
