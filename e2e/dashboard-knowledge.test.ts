import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { createTenant, signIn, stack, type Operator, type Tenant } from "../scripts/test-kit/clients";
import { json, member, PASSWORD } from "../scripts/test-kit/team-kit";

// An admin builds the bot's knowledge base in Settings: creates an intent in
// three languages with a button, edits, disables, exports it, and imports a
// bad file (the server's message shown) and a good one. An operator is refused.

let browser: Browser;
let tenant: Tenant;
let owner: Operator;
let page: Page;
const errors: string[] = [];

const shot = (p: Page, name: string) => p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
const intents = async () => ((await (await owner.request("/api/ops/knowledge")).json()) as { intents: any[] }).intents;
const file = (name: string, body: unknown) => ({ name, mimeType: "application/json", buffer: Buffer.from(JSON.stringify(body)) });

async function signInAt(p: Page, email: string, password: string) {
  await p.goto(`${stack().url}/dashboard/`);
  await p.fill("[data-testid=login-email]", email);
  await p.fill("[data-testid=login-password]", password);
  await p.click("[data-testid=login-submit]");
  await p.locator("[data-testid=tab-queue]").waitFor();
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  tenant = await createTenant("Knowledge UI");
  owner = await signIn(tenant.owner.email, tenant.owner.password);
  await owner.request("/api/ops/team/groups", json("POST", { name: "Sales" }));
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("dialog", (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser?.close();
});

describe("the knowledge base in a real browser", BROWSER, () => {
  it("an admin creates an intent in three languages with a button", async () => {
    await signInAt(page, tenant.owner.email, tenant.owner.password);
    await page.click("[data-testid=nav-settings]");
    await page.click("[data-testid=settings-knowledge]");
    await page.getByText("No intents yet").waitFor();
    await page.click("[data-testid=kb-new]");
    await page.fill("[data-testid=intent-name]", "Delivery time");
    expect(await page.inputValue("[data-testid=intent-key]")).toBe("delivery-time");
    await page.fill("[data-testid=phrasings-ru]", "Сколько идёт доставка?\nКогда привезут заказ?");
    await page.fill("[data-testid=phrasings-uk]", "Скільки йде доставка?\nКоли привезуть замовлення?");
    await page.fill("[data-testid=phrasings-en]", "How long is delivery?\nWhen will my order arrive?");
    await page.fill("[data-testid=answer-ru]", "Доставка занимает 2–3 дня.");
    await page.fill("[data-testid=answer-uk]", "Доставка триває 2–3 дні.");
    await page.fill("[data-testid=answer-en]", "Delivery takes 2–3 days.");
    await page.click("[data-testid=add-button]");
    const button = page.locator("[data-testid=intent-button]");
    await button.getByLabel("Label, Русский").fill("Оператор");
    await button.getByLabel("Label, Українська").fill("Оператор");
    await button.getByLabel("Label, English").fill("Talk to a person");
    await shot(page, "knowledge-editor-new");
    await page.click("[data-testid=intent-save]");
    const row = page.locator("[data-testid=kb-row][data-key=delivery-time]");
    await row.waitFor();
    expect(await row.locator("td.kb-count").textContent()).toBe("2 / 2 / 2");
    const [saved] = await intents();
    expect(saved).toMatchObject({
      key: "delivery-time",
      enabled: true,
      phrasings: { ru: ["Сколько идёт доставка?", "Когда привезут заказ?"], en: ["How long is delivery?", "When will my order arrive?"] },
      answer: { uk: "Доставка триває 2–3 дні." },
      buttons: [{ label: { ru: "Оператор", uk: "Оператор", en: "Talk to a person" }, operator: true }],
    });
  });

  it("edits it, gives it a group, and disables it", async () => {
    await page.click("[data-testid=kb-edit]");
    await page.fill("[data-testid=phrasings-en]", "How long is delivery?\nWhen will my order arrive?\nShipping time");
    await page.fill("[data-testid=answer-en]", "Delivery takes 2 to 3 working days.");
    await page.selectOption("[data-testid=intent-group]", { label: "Sales" });
    await page.click("[data-testid=intent-save]");
    await page.locator("[data-testid=kb-notice]", { hasText: "Saved" }).waitFor();
    expect(await page.locator("[data-testid=intent-editor]").count()).toBe(0);
    const row = page.locator("[data-testid=kb-row][data-key=delivery-time]");
    expect(await row.locator("td.kb-count").textContent()).toBe("2 / 2 / 3");
    expect(await row.textContent()).toContain("Sales");

    await row.locator("[data-testid=kb-enabled]").uncheck();
    await page.locator("[data-testid=kb-row].off").waitFor();
    const [saved] = await intents();
    expect(saved).toMatchObject({ enabled: false, answer: { en: "Delivery takes 2 to 3 working days." } });
    expect(saved.groupId).not.toBeNull();
    await shot(page, "knowledge-list");
  });

  it("exports the base as a file", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=kb-export]")]);
    expect(download.suggestedFilename()).toBe("knowledge-base.json");
    const exported = JSON.parse(readFileSync((await download.path())!, "utf8"));
    expect(exported).toMatchObject({ version: 1, intents: [{ key: "delivery-time", enabled: false, group: "Sales" }] });
  });

  it("shows the server's message for a bad file and imports a good one", async () => {
    const good = (key: string, extra = {}) => ({
      key,
      name: `About ${key}`,
      phrasings: { en: [`Tell me about ${key}`], ru: [`Расскажите про ${key}`] },
      answer: { en: `All about ${key}.` },
      ...extra,
    });
    await page.setInputFiles("[data-testid=kb-file]", file("bad.json", { version: 1, intents: [good("returns", { buttons: [{ label: { en: "More" }, intent: "nowhere" }] })] }));
    await page.click("[data-testid=kb-import]");
    const error = page.locator("[data-testid=kb-error]");
    await error.waitFor();
    expect(await error.textContent()).toBe('Intent "returns": a button leads to "nowhere", which is not in the knowledge base.');
    await shot(page, "knowledge-import-error");
    expect(await intents()).toHaveLength(1);

    await page.setInputFiles("[data-testid=kb-file]", file("good.json", { version: 1, intents: [good("returns", { buttons: [{ label: { en: "Delivery" }, intent: "delivery-time" }] }), good("payment")] }));
    await page.click("[data-testid=kb-import]");
    await page.locator("[data-testid=kb-notice]", { hasText: "Imported: 2 new, 0 updated, 0 removed." }).waitFor();
    expect(await page.locator("[data-testid=kb-error]").count()).toBe(0);
    // The notice comes before the list is read again.
    await expect.poll(() => page.locator("[data-testid=kb-row]").count()).toBe(3);
    await page.fill("[data-testid=kb-filter]", "расскажите");
    await expect.poll(() => page.locator("[data-testid=kb-row]").count()).toBe(2);
    await page.fill("[data-testid=kb-filter]", "");
    await shot(page, "knowledge-imported");
    expect(errors).toEqual([]);
  });

  it("an operator has no Knowledge base tab and the server refuses their writes", async () => {
    const op = await member(tenant, "operator");
    const operatorPage = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInAt(operatorPage, op.email, PASSWORD);
    await operatorPage.goto(`${stack().url}/dashboard/#/settings/knowledge`);
    await operatorPage.locator("[data-testid=settings-canned]").waitFor();
    expect(await operatorPage.locator("[data-testid=settings-knowledge]").count()).toBe(0);
    const statuses = await operatorPage.evaluate(async () => {
      const write = await fetch("/api/ops/knowledge", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key: "mine", name: "Mine", phrasings: { en: ["hi"] }, answer: { en: "hi" } }),
      });
      const read = await fetch("/api/ops/knowledge");
      return [write.status, read.status, (await write.json()).error.message];
    });
    expect(statuses).toEqual([403, 200, "this needs the admin role or higher"]);
    await shot(operatorPage, "knowledge-operator");
  });
});
