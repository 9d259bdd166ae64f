import { createHmac } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { createTenant, database, joinConversation, say, stack, startVisitor, type Tenant, type Visitor } from "../scripts/test-kit/clients";
import { sites } from "../worker/src/db/schema";

// A3 as an operator sees it: a customer the site vouched for is marked
// verified in the inbox, on the card and in search; one who only typed the
// same name and e-mail is marked unverified. And the site's identity secret
// and its enforcement, in Settings → Sites.

const SECRET = "dashboard-identity-secret";
const sign = (id: string, secret = SECRET) => createHmac("sha256", secret).update(id).digest("hex");

let browser: Browser;
let tenant: Tenant;
let page: Page;
let real: string;
let impostor: string;
const errors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const row = (id: string) => page.locator(`[data-testid=conversation-row][data-id="${id}"]`);

async function send(visitor: Visitor, method: string, path: string, body: unknown) {
  const response = await visitor.request(path, { method, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

/** The customer asks for a person, so the conversation waits in the queue. */
async function waitsInQueue(visitor: Visitor, text: string) {
  const id = await visitor.createConversation();
  const socket = await joinConversation(id, { token: visitor.token });
  await say(socket, `${text} Can a human help me?`);
  await socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
  await socket.close();
  return id;
}

const storedSecret = async () => (await database().select({ secret: sites.identitySecret }).from(sites).where(eq(sites.id, tenant.siteId)))[0]!.secret;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [tenant, browser] = await Promise.all([createTenant("Identity UI"), launchBrowser()]);
  await database().update(sites).set({ identitySecret: SECRET, identityRequired: true }).where(eq(sites.id, tenant.siteId));

  const customer = await startVisitor(tenant.publicKey);
  await send(customer, "POST", "/api/widget/identify", { id: "vic-42", name: "Vic Tim", email: "victim@example.com", hash: sign("vic-42") });
  real = await waitsInQueue(customer, "Real Vic.");
  const stranger = await startVisitor(tenant.publicKey);
  await send(stranger, "PATCH", "/api/widget/contact", { name: "Vic Tim", email: "victim@example.com" });
  impostor = await waitsInQueue(stranger, "Also Vic.");

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack().url });
  page = await context.newPage();
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${stack().url}/dashboard/`);
  await page.fill("[data-testid=login-email]", tenant.owner.email);
  await page.fill("[data-testid=login-password]", tenant.owner.password);
  await page.click("[data-testid=login-submit]");
  await page.locator("[data-testid=tab-queue]").waitFor();
});

afterAll(async () => {
  await browser?.close();
});

describe("who the customer is", BROWSER, () => {
  it("marks the verified customer in the inbox, and the one with the same typed name as unverified", async () => {
    await page.click("[data-testid=tab-queue]");
    await row(real).waitFor();
    await row(impostor).waitFor();
    expect(await row(real).locator("[data-testid=identity-verified]").count()).toBe(1);
    expect(await row(real).locator("[data-testid=identity-unverified]").count()).toBe(0);
    expect(await row(impostor).locator("[data-testid=identity-unverified]").count()).toBe(1);
    expect(await row(impostor).locator("[data-testid=identity-verified]").count()).toBe(0);
    await shot("identity-inbox");
  });

  it("says on the card what the site vouched for, and that nothing proves the other one", async () => {
    await row(impostor).click();
    const note = page.locator("[data-testid=contact-identity]");
    await expect.poll(() => note.getAttribute("data-verified")).toBe("false");
    expect(await note.textContent()).toContain("Not verified");
    const details = page.locator("[data-testid=contact]");
    expect(await details.locator("[data-testid=identity-unverified]").count()).toBe(2);
    expect(await details.locator("[data-testid=identity-verified]").count()).toBe(0);
    await shot("identity-card-unverified");

    await row(real).click();
    await expect.poll(() => note.getAttribute("data-verified")).toBe("true");
    expect(await note.textContent()).toContain("Signed in on the site as vic-42");
    expect(await details.locator("[data-testid=identity-verified]").count()).toBe(2);
    expect(await details.locator("[data-testid=identity-unverified]").count()).toBe(0);
    await shot("identity-card-verified");
  });

  it("marks search results the same way", async () => {
    await page.fill("[data-testid=search-input]", "victim@example");
    const hit = (id: string) => page.locator(`[data-testid=search-hit][data-id="${id}"]`);
    await hit(real).waitFor();
    await hit(impostor).waitFor();
    expect(await hit(real).locator("[data-testid=identity-verified]").count()).toBe(1);
    expect(await hit(impostor).locator("[data-testid=identity-unverified]").count()).toBe(1);
    await shot("identity-search");
    await page.press("[data-testid=search-input]", "Escape");
    expect(errors).toEqual([]);
  });
});

describe("the site's identity settings", BROWSER, () => {
  const identity = () => page.locator("[data-testid=site-identity]");

  it("reveals the secret on request and copies it", async () => {
    await page.goto(`${stack().url}/dashboard/#/settings/sites`);
    await identity().waitFor();
    expect(await identity().locator("[data-testid=site-secret]").count()).toBe(0);
    expect(await page.content()).not.toContain(SECRET);
    await identity().locator("[data-testid=site-secret-reveal]").click();
    await expect.poll(() => identity().locator("[data-testid=site-secret]").inputValue()).toBe(SECRET);
    await identity().locator("[data-testid=site-secret-copy]").click();
    await identity().locator("[data-testid=site-secret-copy]", { hasText: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(SECRET);
  });

  it("rotates it only after a confirmation that says what happens", async () => {
    await identity().locator("[data-testid=site-secret-rotate]").click();
    const confirm = identity().locator("[data-testid=site-secret-confirm]");
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain("Identify calls signed with the old one are refused");
    expect(await confirm.textContent()).toContain("Customers already identified stay signed in");
    await shot("identity-rotate-confirm");
    // Cancel changes nothing.
    await confirm.getByText("Cancel").click();
    expect(await storedSecret()).toBe(SECRET);

    await identity().locator("[data-testid=site-secret-rotate]").click();
    await identity().locator("[data-testid=site-secret-rotate-confirm]").click();
    await identity().locator("[data-testid=site-identity-note]", { hasText: "A new secret is in force" }).waitFor();
    const shown = await identity().locator("[data-testid=site-secret]").inputValue();
    expect(shown).not.toBe(SECRET);
    expect(await storedSecret()).toBe(shown);

    const late = await startVisitor(tenant.publicKey);
    const refused = await late.request("/api/widget/identify", { method: "POST", body: JSON.stringify({ id: "vic-42", hash: sign("vic-42") }) });
    expect(refused.status).toBe(403);
    const taken = await late.request("/api/widget/identify", { method: "POST", body: JSON.stringify({ id: "vic-42", hash: sign("vic-42", shown) }) });
    expect(taken.status).toBe(200);
  });

  it("switches the requirement off and on", async () => {
    const required = identity().locator("[data-testid=site-identity-required]");
    const stored = async () => (await database().select({ on: sites.identityRequired }).from(sites).where(eq(sites.id, tenant.siteId)))[0]!.on;
    expect(await required.isChecked()).toBe(true);
    await required.click();
    await identity().locator("[data-testid=site-identity-note]", { hasText: "taken again, as unverified" }).waitFor();
    expect(await stored()).toBe(false);
    expect(await required.isChecked()).toBe(false);
    await required.click();
    await identity().locator("[data-testid=site-identity-note]", { hasText: "refused now" }).waitFor();
    expect(await stored()).toBe(true);
    await shot("identity-settings");
    expect(errors).toEqual([]);
  });
});
