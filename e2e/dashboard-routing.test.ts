import { sql } from "drizzle-orm";
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { createTenant, database, stack, type Tenant } from "../scripts/test-kit/clients";
import { addGroup, customerWithTopic, decisions, stored, storedUntil } from "./routing-kit";
import { customerPage, customerSays, hostPage, openPanel, shot, startHost, activeConversation } from "./widget-kit";

// Queue, routing, transfer, reopen and the supervisor (D2, D3, D7, D8, D11)
// in a real browser: two operators and two customers, each in their own context.

let browser: Browser;
let host: Awaited<ReturnType<typeof startHost>>;
let tenant: Tenant;
let ann: Page; // the owner: a supervisor too
let bob: Page;
const byId: Record<string, Page> = {};
const errors: string[] = [];
let first = "";
let second = "";
let firstCustomer: Page;

async function signInAs(email: string, password: string) {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${stack().url}/dashboard/`);
  await page.fill("[data-testid=login-email]", email);
  await page.fill("[data-testid=login-password]", password);
  await page.click("[data-testid=login-submit]");
  await page.locator("[data-testid=tab-queue]").waitFor();
  return page;
}

async function presence(operatorId: string) {
  const [row] = await database().all<{ presence: string }>(
    sql`SELECT presence FROM memberships WHERE workspace_id = ${tenant.workspaceId} AND operator_id = ${operatorId}`,
  );
  return row.presence;
}

async function customerWrites(text: string) {
  const customer = await customerPage(browser);
  await customer.page.goto(host.set(`/shop-${Date.now()}`, hostPage(tenant.publicKey)));
  await openPanel(customer.page);
  await customerSays(customer.page, text);
  const id = (await activeConversation(customer.page, tenant.publicKey))!;
  return { ...customer, id };
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  tenant = await createTenant("Routing e2e");
  const billing = await addGroup(tenant.workspaceId, "Billing", "least_busy", [tenant.owner.id, tenant.agent.id]);
  await addGroup(tenant.workspaceId, "Tech", "manual", [tenant.owner.id, tenant.agent.id]);
  // Customers without a topic go to Billing.
  await database().run(sql`UPDATE sites SET default_group_id = ${billing} WHERE id = ${tenant.siteId}`);
  host = await startHost();
  browser = await launchBrowser();
  ann = await signInAs(tenant.owner.email, tenant.owner.password);
  bob = await signInAs(tenant.agent.email, tenant.agent.password);
  byId[tenant.owner.id] = ann;
  byId[tenant.agent.id] = bob;
  // Their dashboards' connections put them online.
  for (let i = 0; i < 100 && ((await presence(tenant.owner.id)) !== "online" || (await presence(tenant.agent.id)) !== "online"); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

describe("routing in the dashboard", BROWSER, () => {
  it("gives two customers of one group to the two operators, least busy first, and says why", async () => {
    const customer = await customerWrites("I was charged twice");
    first = customer.id;
    firstCustomer = customer.page;
    const one = await storedUntil(first, (r) => r.status === "assigned");
    second = (await customerWrites("Refund for order 77?")).id;
    const two = await storedUntil(second, (r) => r.status === "assigned");
    expect(two.assigneeId).not.toBe(one.assigneeId);
    expect((await decisions(second)).at(-1)!.reason).toBe("least busy: 0 of 5 chats");

    const page = byId[two.assigneeId!];
    await page.click("[data-testid=tab-mine]");
    await page.click(`[data-testid=conversation-row][data-id="${second}"]`);
    await page.locator("[data-testid=routing-reason]", { hasText: "least busy: 0 of 5 chats" }).waitFor();
    // The new chat announced itself with a tone.
    expect(await page.evaluate(() => (window as { __tandemBeeps?: number }).__tandemBeeps ?? 0)).toBeGreaterThan(0);
  });

  it("queues a topic's customer in its group, and of two operators taking it at once exactly one gets it", async () => {
    const { id } = await customerWithTopic(tenant.publicKey, "Tech", "My router is blinking");
    expect(await stored(id)).toMatchObject({ status: "queued", assigneeId: null });
    for (const page of [ann, bob]) {
      await page.click("[data-testid=tab-queue]");
      await page.click(`[data-testid=conversation-row][data-id="${id}"]`);
      await page.locator("[data-testid=claim]").waitFor();
    }
    await Promise.all([ann.click("[data-testid=claim]"), bob.click("[data-testid=claim]")]);
    const row = await storedUntil(id, (r) => r.status === "assigned");
    const loser = row.assigneeId === tenant.owner.id ? bob : ann;
    const winner = byId[row.assigneeId!];
    await winner.locator("[data-testid=conversation-status][data-status=assigned]").waitFor();
    await loser.locator("[data-testid=conversation-status][data-status=assigned]").waitFor();
    expect(await loser.locator(".thread-meta").textContent()).toContain("with ");
    const claims = await database().all<{ n: number }>(sql`SELECT COUNT(*) AS n FROM events WHERE conversation_id = ${id} AND type = 'claimed'`);
    expect(claims[0].n).toBe(1);
  });

  it("transfers with a note: the next operator sees the whole history and the note; the customer goes on", async () => {
    const row = await stored(first);
    const from = byId[row.assigneeId!];
    const toId = row.assigneeId === tenant.owner.id ? tenant.agent.id : tenant.owner.id;
    const to = byId[toId];
    await from.goto(`${stack().url}/dashboard/#/c/${first}`);
    await from.click("[data-testid=transfer]");
    await from.locator(`[data-testid=transfer-target] option[value="operator:${toId}"]`).waitFor({ state: "attached" });
    await from.selectOption("[data-testid=transfer-target]", `operator:${toId}`);
    await from.fill("[data-testid=transfer-note]", "Charged twice on 3 May; refund the second one");
    await shot(from, "routing-transfer");
    await from.click("[data-testid=transfer-submit]");
    await storedUntil(first, (r) => r.assigneeId === toId);

    await to.goto(`${stack().url}/dashboard/#/c/${first}`);
    await to.locator("[data-testid=message][data-author-kind=visitor]", { hasText: "charged twice" }).waitFor();
    await to.locator(".messages", { hasText: "refund the second one" }).waitFor();
    await to.locator("[data-testid=routing-reason]", { hasText: "transferred by" }).waitFor();
    // The customer sees the new operator typing, from the reply box, and gets the reply.
    await to.type("[data-testid=reply-input]", "Hello again, I have your refund");
    await firstCustomer.locator(".typing", { hasText: "is typing" }).waitFor();
    await to.press("[data-testid=reply-input]", "Enter");
    await firstCustomer.locator("[data-author-kind=operator]", { hasText: "I have your refund" }).waitFor();
  });

  it("closes and reopens a conversation", async () => {
    const row = await stored(second);
    const page = byId[row.assigneeId!];
    await page.goto(`${stack().url}/dashboard/#/c/${second}`);
    await page.click("[data-testid=close]");
    await page.locator("[data-testid=conversation-status][data-status=closed]").waitFor();
    await page.click("[data-testid=reopen]");
    await page.locator("[data-testid=conversation-status][data-status=assigned]").waitFor();
    expect((await stored(second)).status).toBe("assigned");
  });

  it("shows the supervisor every live chat per group and each operator's load, and reassigns one", async () => {
    const row = await stored(second);
    const toId = row.assigneeId === tenant.owner.id ? tenant.agent.id : tenant.owner.id;
    await ann.goto(`${stack().url}/dashboard/#/supervisor`);
    await ann.locator(`[data-testid=sv-conversation][data-conversation="${second}"]`).waitFor();
    expect(await ann.locator("[data-testid=sv-operator]").count()).toBe(2);
    await shot(ann, "routing-supervisor");
    await ann.selectOption(`[data-testid=sv-conversation][data-conversation="${second}"] [data-testid=sv-reassign]`, toId);
    await storedUntil(second, (r) => r.assigneeId === toId);
  });

  it("lets the supervisor take another operator's chat away; that operator's reply box then says why it is off", async () => {
    const { id } = await customerWithTopic(tenant.publicKey, "Tech", "Bob, are you there?");
    await bob.goto(`${stack().url}/dashboard/#/c/${id}`);
    await bob.click("[data-testid=claim]");
    await storedUntil(id, (r) => r.assigneeId === tenant.agent.id);
    await bob.locator("[data-testid=reply-input]").waitFor();
    await ann.goto(`${stack().url}/dashboard/#/supervisor`);
    await ann.selectOption(`[data-testid=sv-conversation][data-conversation="${id}"] [data-testid=sv-reassign]`, tenant.owner.id);
    await storedUntil(id, (r) => r.assigneeId === tenant.owner.id);
    // Live, with no reload: Bob can no longer reply or close, only write a note.
    await bob.locator(".reply.disabled", { hasText: `${tenant.owner.name} has this conversation` }).waitFor();
    expect(await bob.locator("[data-testid=close]").count()).toBe(0);
    await shot(bob, "routing-not-yours");
    expect(errors).toEqual([]);
  });
});
