import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { database, stack } from "../scripts/test-kit/clients";
import { startFakeEmbeddings } from "../scripts/test-kit/fake-embeddings";
import { smallBaseTenant } from "../scripts/test-kit/semantic-kit";
import { json } from "../scripts/test-kit/team-kit";
import { intents } from "../worker/src/db/schema";

// The semantic tier's settings in a real browser (issue 19): an admin turns
// on an OpenAI-compatible provider (the fake on 127.0.0.1) under Settings →
// Knowledge base and watches the phrasings get their vectors; a provider
// that fails shows its error and a retry that works once it is back.

let browser: Browser;
let page: Page;
let fake: Awaited<ReturnType<typeof startFakeEmbeddings>>;
let side: Awaited<ReturnType<typeof smallBaseTenant>>;
const errors: string[] = [];
const shot = (p: Page, name: string) => p.locator("[data-testid=embeddings-settings]").screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const text = (id: string) => page.locator(`[data-testid=${id}]`).textContent();

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [browser, fake, side] = await Promise.all([launchBrowser(), startFakeEmbeddings(), smallBaseTenant("Embeddings UI")]);
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on("pageerror", (error) => errors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await fake?.stop();
});

async function openSettings() {
  const url = `${stack().url}/dashboard/#/settings/knowledge`;
  // Already there, a goto only moves the hash: load the page anew so it reads the status again.
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await page.locator("[data-testid=embeddings-save]").waitFor();
}

describe("meaning-based matching in the dashboard", BROWSER, () => {
  it("an admin switches on a provider and sees every phrasing embedded", async () => {
    await page.goto(`${stack().url}/dashboard/`);
    await page.fill("[data-testid=login-email]", side.tenant.owner.email);
    await page.fill("[data-testid=login-password]", side.tenant.owner.password);
    await page.click("[data-testid=login-submit]");
    await page.locator("[data-testid=tab-queue]").waitFor();
    await openSettings();
    // No Workers AI binding on this deployment: the choice is there, and says so.
    expect(await page.locator("[data-testid=embeddings-provider] option[value=workers-ai]").textContent()).toContain("not on this deployment");
    await page.check("[data-testid=embeddings-enabled]");
    await page.fill("[data-testid=embeddings-url]", fake.url);
    await page.fill("[data-testid=embeddings-model]", "fake-bge");
    await page.fill("[data-testid=embeddings-key]", "sk-browser");
    await page.click("[data-testid=embeddings-save]");
    await page.locator("[data-testid=embeddings-saved]").waitFor();
    expect(await text("embeddings-key-state")).toBe("a key is set; type a new one to replace it");
    await page.getByText("The bot matches by meaning as well as by words.").waitFor({ timeout: 30_000 });
    expect(await text("embeddings-embedded")).toBe("12");
    expect(await text("embeddings-failed")).toBe("0");
    await shot(page, "embeddings-embedded");
  });

  it("a failing provider shows its error and the failed count, and the retry button embeds once it is back", async () => {
    fake.setMode("500");
    const [refund] = await database().select({ id: intents.id }).from(intents).where(and(eq(intents.workspaceId, side.tenant.workspaceId), eq(intents.key, "refund")));
    expect((await side.admin.request(`/api/ops/knowledge/${refund.id}/phrasings`, json("POST", { lang: "en", text: "Where is my reimbursement?" }))).status).toBe(201);
    await openSettings();
    await page.locator("[data-testid=embeddings-retry]").waitFor({ timeout: 30_000 });
    expect(await text("embeddings-failed")).toBe("1");
    expect(await text("embeddings-error")).toBe("Provider's last error: the provider answered 500: model server exploded");
    await shot(page, "embeddings-failed");

    fake.setMode("ok");
    await page.click("[data-testid=embeddings-retry]");
    await page.waitForFunction(() => document.querySelector("[data-testid=embeddings-embedded]")?.textContent === "13", undefined, { timeout: 30_000 });
    expect(await page.locator("[data-testid=embeddings-retry]").count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
