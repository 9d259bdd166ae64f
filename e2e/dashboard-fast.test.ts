import { mkdirSync } from "node:fs";
import { createConnection, createServer, type Socket } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { createTenant, customerWrites, joinConversation, say, signIn, stack, type Operator, type Tenant } from "../scripts/test-kit/clients";

// The dashboard is fast to drive: the keyboard, search, and a dashboard
// that catches up by itself after its connection was cut.

let browser: Browser;
let tenant: Tenant;
let page: Page;
let gate: Awaited<ReturnType<typeof startGate>>;
let ownerApi: Operator;
let agentApi: Operator;
const errors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const hashId = () => page.evaluate(() => /^#\/c\/(.+)$/.exec(location.hash)?.[1] ?? null);
const rowIds = () => page.$$eval("[data-testid=conversation-row]", (rows) => rows.map((r) => (r as HTMLElement).dataset.id!));
const focused = () => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName);
const blur = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

/**
 * A TCP proxy in front of the Worker that can hold the dashboard's room
 * WebSockets (the inbox and an open conversation) down: the test kit's
 * chaos proxy cuts a socket, but partysocket dials again at once, and an
 * outage has to last while the world moves on.
 */
async function startGate(targetPort: number) {
  let down = false;
  const rooms = new Set<Socket>();
  const server = createServer((client) => {
    client.once("data", (first: Buffer) => {
      const isRoom = first.toString("latin1").split("\r\n")[0].includes("/parties/");
      if (isRoom && down) return void client.destroy();
      const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
      upstream.write(first);
      client.pipe(upstream);
      upstream.pipe(client);
      if (isRoom) rooms.add(client);
      const drop = () => {
        rooms.delete(client);
        client.destroy();
        upstream.destroy();
      };
      for (const socket of [client, upstream]) socket.on("close", drop).on("error", drop);
    });
    client.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    /** Like a laptop lid closing: the live socket dies without a close frame, and new ones fail. */
    cut() {
      down = true;
      for (const socket of rooms) socket.destroy();
    },
    restore() {
      down = false;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  tenant = await createTenant("Fast");
  [ownerApi, agentApi, browser, gate] = await Promise.all([
    signIn(tenant.owner.email, tenant.owner.password),
    signIn(tenant.agent.email, tenant.agent.password),
    launchBrowser(),
    startGate(Number(new URL(stack().url).port)),
  ]);
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on("pageerror", (error) => errors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await gate?.stop();
});

describe("the keyboard", BROWSER, () => {
  let first: string;

  it("j/k and Alt+↓/↑ walk the list", async () => {
    for (const text of ["First customer here", "Second customer here", "Third customer here"]) await customerWrites(tenant.publicKey, text);
    await ownerApi.request("/api/ops/workbench/canned", { method: "POST", body: JSON.stringify({ shortcut: "hi", body: "Hello {name}!" }) });
    await page.goto(`${gate.url}/dashboard/`);
    await page.fill("[data-testid=login-email]", tenant.owner.email);
    await page.fill("[data-testid=login-password]", tenant.owner.password);
    await page.click("[data-testid=login-submit]");
    await expect.poll(() => rowIds().then((ids) => ids.length)).toBe(3);
    const rows = await rowIds();
    await blur();

    await page.keyboard.press("j");
    await expect.poll(hashId).toBe(rows[0]);
    await page.keyboard.press("j");
    await expect.poll(hashId).toBe(rows[1]);
    await page.keyboard.press("k");
    await expect.poll(hashId).toBe(rows[0]);
    await page.keyboard.press("Alt+ArrowDown");
    await expect.poll(hashId).toBe(rows[1]);
    await page.keyboard.press("Alt+ArrowDown");
    await page.keyboard.press("Alt+ArrowDown");
    await expect.poll(hashId).toBe(rows[2]);
    await page.keyboard.press("Alt+ArrowUp");
    await expect.poll(hashId).toBe(rows[1]);
    first = rows[1];
  });

  it("r focuses the reply box, typed keys stay in it, Ctrl+Enter sends", async () => {
    await page.click("[data-testid=claim]");
    await page.locator("[data-testid=reply-input]:not([disabled])").waitFor();
    // Taking it puts the focus in the reply box once the server has answered: wait for that, then leave it.
    await expect.poll(focused).toBe("reply-input");
    await blur();
    await page.keyboard.press("r");
    expect(await focused()).toBe("reply-input");
    await page.keyboard.type("jk? r/");
    expect(await page.inputValue("[data-testid=reply-input]")).toBe("jk? r/");
    expect(await hashId()).toBe(first);
    expect(await page.locator("[data-testid=shortcuts-help]").count()).toBe(0);

    await page.fill("[data-testid=reply-input]", "Sent with the keyboard");
    await blur();
    await page.keyboard.press("Control+Enter");
    await page.locator("[data-testid=message][data-seq]", { hasText: "Sent with the keyboard" }).waitFor();
    await blur();
    await page.keyboard.press("/");
    expect(await focused()).toBe("reply-input");
  });

  it("Alt+/ opens the canned replies, even from the reply box", async () => {
    await page.keyboard.press("Alt+Slash");
    await page.locator("[data-testid=canned-list]").waitFor();
    await page.keyboard.press("Escape");
    await page.locator("[data-testid=canned-list]").waitFor({ state: "detached" });
  });

  it("? shows the help overlay with every shortcut, Escape hides it", async () => {
    await blur();
    await page.keyboard.press("?");
    const help = page.locator("[data-testid=shortcuts-help]");
    await help.waitFor();
    for (const what of ["Next conversation", "Previous conversation", "Focus the reply box", "Send the reply", "Close the conversation", "Open canned replies"]) {
      await help.getByText(what).waitFor();
    }
    await shot("dashboard-shortcuts");
    // While the help is open, j does not move behind it.
    await page.keyboard.press("j");
    expect(await hashId()).toBe(first);
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "detached" });
    await page.keyboard.press("?");
    await help.waitFor();
    await page.keyboard.press("?");
    await help.waitFor({ state: "detached" });
  });

  it("Alt+C closes the conversation", async () => {
    await page.keyboard.press("Alt+KeyC");
    await expect
      .poll(async () => ((await (await ownerApi.request(`/api/ops/conversations/${first}`)).json()) as any).conversation.status)
      .toBe("closed");
  });
});

describe("search", BROWSER, () => {
  it("finds a conversation as one types; Enter opens it, Escape clears", async () => {
    const { id } = await customerWrites(tenant.publicKey, "My parcel ZEBRA-42 never arrived");
    await page.click("[data-testid=search-input]");
    await page.keyboard.type("zebra");
    const hit = page.locator("[data-testid=search-hit]");
    await expect.poll(() => hit.count()).toBe(1);
    expect(await hit.getAttribute("data-id")).toBe(id);
    expect(await hit.locator("mark").textContent()).toBe("ZEBRA");
    await shot("dashboard-search");
    await page.keyboard.press("Enter");
    await expect.poll(hashId).toBe(id);
    expect(await page.inputValue("[data-testid=search-input]")).toBe("");
    await page.locator("[data-testid=search-results]").waitFor({ state: "detached" });

    await page.click("[data-testid=search-input]");
    await page.keyboard.type("nothing like this");
    await page.locator("[data-testid=search-results]", { hasText: "Nothing found" }).waitFor();
    await page.keyboard.press("Escape");
    expect(await page.inputValue("[data-testid=search-input]")).toBe("");
    await page.locator("[data-testid=search-results]").waitFor({ state: "detached" });
  });
});

describe("catch-up after a cut connection", BROWSER, () => {
  it("shows exactly the server's state when the connection returns, with no reload", async () => {
    const before = await Promise.all(["Waiting one", "Waiting two", "Mine to close", "Talking with me"].map((t) => customerWrites(tenant.publicKey, t)));
    const [q1, q2, mine, talk] = before.map((b) => b.id);
    for (const id of [mine, talk]) expect((await ownerApi.request(`/api/ops/conversations/${id}/claim`, { method: "POST" })).status).toBe(200);
    await page.click("[data-testid=tab-open]");
    await expect.poll(rowIds).toEqual(expect.arrayContaining([q1, q2, mine, talk]));
    // One conversation is open on screen: its socket is cut too.
    await page.click(`[data-testid=conversation-row][data-id="${talk}"]`);
    await page.locator("[data-testid=message][data-author-kind=visitor]", { hasText: "Talking with me" }).waitFor();
    const pageLoads = await page.evaluate(() => performance.getEntriesByType("navigation").length + ":" + performance.timeOrigin);

    gate.cut();
    await page.locator(".me .dot:not(.online)").waitFor();
    // While it is down: one arrives, one is taken by another operator, one closes, one moves on.
    const arrived = (await customerWrites(tenant.publicKey, "Arrived while you slept")).id;
    expect((await agentApi.request(`/api/ops/conversations/${q1}/claim`, { method: "POST" })).status).toBe(200);
    expect((await ownerApi.request(`/api/ops/conversations/${mine}/close`, { method: "POST" })).status).toBe(200);
    expect((await agentApi.request(`/api/ops/conversations/${q2}/claim`, { method: "POST" })).status).toBe(200);
    expect((await agentApi.request(`/api/ops/conversations/${q2}/close`, { method: "POST" })).status).toBe(200);
    const customer = await joinConversation(talk, { token: before[3].visitor.token });
    for (const text of ["First while you slept", "Second while you slept"]) expect((await say(customer, text)).type).toBe("ack");
    await customer.close();
    // The dashboard really missed all of it.
    await new Promise((r) => setTimeout(r, 500));
    expect(await rowIds()).not.toContain(arrived);
    expect(await page.locator("[data-testid=message]", { hasText: "while you slept" }).count()).toBe(0);
    expect(await rowIds()).toContain(mine);
    await shot("dashboard-catch-up-offline");

    gate.restore();
    await page.locator(".me .dot.online").waitFor({ timeout: 20_000 });
    const snapshot = (await (await ownerApi.request("/api/ops/inbox")).json()) as { conversations: { id: string; status: string; assignee: { id: string } | null }[] };
    const open = snapshot.conversations.map((c) => c.id).sort();
    await expect.poll(async () => (await rowIds()).sort()).toEqual(open);
    expect(open).toContain(arrived);
    expect(open).toContain(q1);
    expect(open).not.toContain(mine);
    expect(open).not.toContain(q2);
    const shown = await page.$$eval("[data-testid=conversation-row]", (rows) => rows.map((r) => [(r as HTMLElement).dataset.id, (r as HTMLElement).dataset.status]));
    expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(snapshot.conversations.map((c) => [c.id, c.status])));
    expect(await page.locator(`[data-testid=conversation-row][data-id="${q1}"]`).textContent()).toContain("Fast Agent");
    await page.click("[data-testid=tab-queue]");
    await expect.poll(async () => (await rowIds()).sort()).toEqual(snapshot.conversations.filter((c) => c.status === "queued").map((c) => c.id).sort());
    // The open conversation got what it missed, once each and in order.
    const slept = page.locator("[data-testid=message][data-author-kind=visitor]", { hasText: "while you slept" });
    await expect.poll(() => slept.allTextContents()).toEqual([expect.stringContaining("First"), expect.stringContaining("Second")]);
    await shot("dashboard-catch-up-online");
    // No reload happened: the same document all along.
    expect(await page.evaluate(() => performance.getEntriesByType("navigation").length + ":" + performance.timeOrigin)).toBe(pageLoads);
    expect(errors).toEqual([]);
  });
});
