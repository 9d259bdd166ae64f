import { createHmac } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, launchBrowser } from "../scripts/test-kit/browser";
import { joinConversation, stack, TestSocket } from "../scripts/test-kit/clients";
import { startKnownSecretWorker } from "../scripts/test-kit/known-secret-worker";
import { activeConversation, customerPage, customerSays, hostPage, openPanel, siteWith, startHost } from "./widget-kit";

// A5 in a real browser: Tandem('logout') signs the visitor's token out on the
// server, so a copy of it reads nothing; and the widget renews an aging
// token by itself, so a customer who comes back keeps their conversation.

const SECRET = "tokens-identity-secret";
const sign = (id: string) => createHmac("sha256", SECRET).update(id).digest("hex");
const DAY = 24 * 60 * 60 * 1000;

let browser: Browser;
let host: Awaited<ReturnType<typeof startHost>>;

beforeAll(async () => {
  [browser, host] = await Promise.all([launchBrowser(), startHost()]);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const storedToken = (page: Page, siteKey: string) => page.evaluate((key) => localStorage.getItem(`tandem:token:${key}`), siteKey);
const call = (page: Page, ...args: unknown[]) => page.evaluate((a) => (window as unknown as { Tandem: (...x: unknown[]) => void }).Tandem(...a), args);
/** What this browser's localStorage held before its first page of the site loads (set once, not on every navigation). */
const seed = (page: Page, entries: Record<string, string>) =>
  page.addInitScript((values) => {
    if (localStorage.getItem("test:seeded")) return;
    for (const [key, value] of Object.entries(values)) localStorage.setItem(key, value);
    localStorage.setItem("test:seeded", "1");
  }, entries);
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as { v: string; w: string; s: string; c: string; iat: number };

describe("Tandem('logout')", BROWSER, () => {
  it("leaves a copy of the token, taken before, unable to read what the customer wrote", async () => {
    const tenant = await siteWith({ identitySecret: SECRET }, "Logout");
    const { page, console } = await customerPage(browser);
    await page.goto(host.set("/account", hostPage(tenant.publicKey, { before: `Tandem('identify', { id: 'card-owner', name: 'Vic', hash: '${sign("card-owner")}' });` })));
    await openPanel(page);
    await customerSays(page, "my card ends 4242");

    // Someone copied the token out of localStorage, and has the room open with it.
    const stolen = (await storedToken(page, tenant.publicKey))!;
    const conversation = (await activeConversation(page, tenant.publicKey))!;
    const thief = await joinConversation(conversation, { token: stolen });
    expect(JSON.stringify(thief.frames)).toContain("4242");

    await call(page, "logout");

    expect((await thief.closed).code).toBe(4401);
    await expect
      .poll(async () => (await fetch(`${stack().url}/api/widget/conversations/${conversation}/messages`, { headers: { authorization: `Bearer ${stolen}` } })).status)
      .toBe(401);
    const again = new TestSocket(`/parties/conversation/${conversation}?token=${encodeURIComponent(stolen)}`);
    expect((await again.closed).code).toBe(4401);
    expect(JSON.stringify(again.frames)).not.toContain("4242");

    // The page goes on as a new, anonymous visitor, and nothing was reported as an error.
    await expect.poll(() => storedToken(page, tenant.publicKey)).not.toBe(stolen);
    await expect.poll(() => page.locator("[data-author-kind=visitor]").count()).toBe(0);
    await customerSays(page, "a new question");
    expect(payloadOf((await storedToken(page, tenant.publicKey))!).v).not.toBe(payloadOf(stolen).v);
    expect(console).toEqual([]);
  });
});

describe("Tandem('logout') while the widget is starting", BROWSER, () => {
  it("drops the session answer that was on its way, so the signed-out visitor does not come back", async () => {
    const tenant = await siteWith({}, "Logout race");
    const { page, console } = await customerPage(browser);
    const url = host.set("/race", hostPage(tenant.publicKey));
    await page.goto(url);
    await openPanel(page);
    await customerSays(page, "before signing out");
    const before = payloadOf((await storedToken(page, tenant.publicKey))!).v;

    // The next page load's session call reaches the server at once, but its answer is held back
    // until the page has logged out and started over.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    await page.route("**/api/widget/session", async (route) => {
      const response = await route.fetch();
      if (first) {
        first = false;
        await held;
      }
      await route.fulfill({ response });
    });
    await page.reload();
    await openPanel(page);
    await call(page, "logout");
    const visitorNow = async () => {
      const token = await storedToken(page, tenant.publicKey);
      return token ? payloadOf(token).v : null;
    };
    await expect.poll(visitorNow).toSatisfy((v) => v !== null && v !== before);
    const after = await visitorNow();
    release();
    // The held answer (the old visitor, renewed) arrives now: it must not take the page back.
    await page.waitForTimeout(500);
    expect(payloadOf((await storedToken(page, tenant.publicKey))!).v).toBe(after);
    await customerSays(page, "after signing out");
    await page.unrouteAll({ behavior: "ignoreErrors" });
    expect(console).toEqual([]);
  });
});

describe("an aging token", BROWSER, () => {
  let worker: Awaited<ReturnType<typeof startKnownSecretWorker>>;

  beforeAll(async () => {
    worker = await startKnownSecretWorker();
    // Its first asset and first room take the start-up cost here, not inside a test's page load.
    const warm = await siteWith({}, "Warm");
    const session = (await (await worker.request("/api/widget/session", { method: "POST", body: JSON.stringify({ siteKey: warm.publicKey }) })).json()) as { token: string };
    const created = await worker.request("/api/widget/conversations", { method: "POST", token: session.token, body: JSON.stringify({}) });
    const { conversation } = (await created.json()) as { conversation: { id: string } };
    await fetch(`${worker.url}/widget/loader.js`).then((r) => r.arrayBuffer());
    const room = worker.openRoom(conversation.id, session.token);
    await room.answer;
    room.ws.close();
  });

  afterAll(async () => {
    await worker?.stop();
  });

  it("is renewed by the widget on its own: the customer back after 29 days is in the same conversation", async () => {
    const tenant = await siteWith({}, "Renew");
    const page = host.set("/renew", hostPage(tenant.publicKey, { server: worker.url }));
    const first = await customerPage(browser);
    await first.page.goto(page);
    await openPanel(first.page);
    await customerSays(first.page, "where is my parcel?");
    const token = (await storedToken(first.page, tenant.publicKey))!;
    const conversation = await activeConversation(first.page, tenant.publicKey);
    await first.context.close();

    // The same browser 29 days later: its stored token was signed then.
    const { v, w, s, c } = payloadOf(token);
    const aging = await worker.tokenSignedAt({ id: v, workspaceId: w, siteId: s, contactId: c }, Date.now() - 29 * DAY);
    const back = await customerPage(browser);
    await seed(back.page, { [`tandem:token:${tenant.publicKey}`]: aging, [`tandem:active:${tenant.publicKey}`]: conversation! });
    const before = Date.now();
    await back.page.goto(page);
    await openPanel(back.page);
    await back.page.locator("[data-author-kind=visitor]", { hasText: "where is my parcel?" }).waitFor();
    await expect.poll(async () => payloadOf((await storedToken(back.page, tenant.publicKey))!).iat).toBeGreaterThanOrEqual(before);
    expect(payloadOf((await storedToken(back.page, tenant.publicKey))!).v).toBe(v);
    expect(back.console).toEqual([]);
  });

  it("is not taken once expired: the widget starts over quietly, as a new visitor", async () => {
    const tenant = await siteWith({}, "Expired");
    const page = host.set("/expired", hostPage(tenant.publicKey, { server: worker.url }));
    const first = await customerPage(browser);
    await first.page.goto(page);
    await openPanel(first.page);
    await customerSays(first.page, "an old question");
    const token = (await storedToken(first.page, tenant.publicKey))!;
    await first.context.close();

    const { v, w, s, c } = payloadOf(token);
    const expired = await worker.tokenSignedAt({ id: v, workspaceId: w, siteId: s, contactId: c }, Date.now() - 31 * DAY);
    const back = await customerPage(browser);
    await seed(back.page, { [`tandem:token:${tenant.publicKey}`]: expired });
    await back.page.goto(page);
    await openPanel(back.page);
    await customerSays(back.page, "a new question");
    expect(await back.page.locator("[data-author-kind=visitor]", { hasText: "an old question" }).count()).toBe(0);
    expect(payloadOf((await storedToken(back.page, tenant.publicKey))!).v).not.toBe(v);
    expect(back.console).toEqual([]);
  });
});
