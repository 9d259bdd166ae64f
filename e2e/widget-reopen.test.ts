import { and, asc, eq } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { database } from "../scripts/test-kit/clients";
import { conversations, events, messages } from "../worker/src/db/schema";
import { activeConversation, customerPage, customerSays, hostPage, openPanel, operatorOf, shot, siteWith, startHost } from "./widget-kit";

// D8 from the customer's side: after a close the rating shows and the input
// stays; writing again within the site's window reopens the same
// conversation (live, or after a reload), and after the window a new one starts.

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

async function state(conversationId: string) {
  const [row] = await database().select({ status: conversations.status, closedAt: conversations.closedAt }).from(conversations).where(eq(conversations.id, conversationId));
  const bodies = await database()
    .select({ body: messages.body })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.authorKind, "visitor")))
    .orderBy(asc(messages.seq));
  return { ...row!, bodies: bodies.map((m) => m.body) };
}

describe("a customer writing again after a close", BROWSER, () => {
  it("reopens the same conversation within the window, live and after a reload", async () => {
    const tenant = await siteWith({ reopenMinutes: 30 });
    const operator = await operatorOf(tenant);
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/reopen", hostPage(tenant.publicKey)));
    await openPanel(page);
    await customerSays(page, "Is the grinder in stock?");
    const id = (await activeConversation(page, tenant.publicKey))!;
    expect((await operator.request(`/api/ops/conversations/${id}/close`, { method: "POST" })).status).toBe(200);

    // The rating is offered and the input stays.
    await page.locator(".closed .rating").waitFor();
    expect(await page.locator(".composer textarea").isEditable()).toBe(true);
    await shot(page, "widget-closed-can-write");

    await customerSays(page, "Sorry, one more thing: which colours?");
    await page.locator(".closed").waitFor({ state: "detached" });
    expect(await state(id)).toMatchObject({ status: "queued", closedAt: null, bodies: ["Is the grinder in stock?", "Sorry, one more thing: which colours?"] });
    const reopened = await database()
      .select({ data: events.data, actorKind: events.actorKind })
      .from(events)
      .where(and(eq(events.conversationId, id), eq(events.type, "reopened")));
    expect(reopened).toEqual([{ data: { reason: "customer wrote again" }, actorKind: "visitor" }]);

    // Closed again, and the page reloaded: the next message still goes into it.
    expect((await operator.request(`/api/ops/conversations/${id}/close`, { method: "POST" })).status).toBe(200);
    await page.locator(".closed .rating").waitFor();
    await page.reload();
    await openPanel(page);
    await customerSays(page, "And is delivery free?");
    expect(await state(id)).toMatchObject({ status: "queued", bodies: ["Is the grinder in stock?", "Sorry, one more thing: which colours?", "And is delivery free?"] });
    // The whole history is back in front of the customer.
    await page.locator("[data-author-kind][data-seq]", { hasText: "which colours?" }).waitFor();
    expect(console).toEqual([]);
  });

  it("starts a new conversation once the window has passed", async () => {
    const tenant = await siteWith({ reopenMinutes: 0 });
    const operator = await operatorOf(tenant);
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/no-reopen", hostPage(tenant.publicKey)));
    await openPanel(page);
    await customerSays(page, "First question");
    const first = (await activeConversation(page, tenant.publicKey))!;
    expect((await operator.request(`/api/ops/conversations/${first}/close`, { method: "POST" })).status).toBe(200);
    await page.locator(".closed .rating").waitFor();

    await customerSays(page, "A new question");
    const second = (await activeConversation(page, tenant.publicKey))!;
    expect(second).not.toBe(first);
    expect(await state(first)).toMatchObject({ status: "closed", bodies: ["First question"] });
    expect((await state(second)).bodies).toEqual(["A new question"]);
    // The new conversation shows only its own message.
    expect(await page.locator("[data-author-kind=visitor]").allTextContents()).toEqual([expect.stringContaining("A new question")]);
    expect(console).toEqual([]);
  });
});
