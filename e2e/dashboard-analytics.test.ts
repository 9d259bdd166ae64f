import { newId } from "@tandem/protocol";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER, SCREENSHOTS, launchBrowser } from "../scripts/test-kit/browser";
import { botTenant } from "../scripts/test-kit/bot-kit";
import { Script } from "../worker/src/analytics/golden-kit";
import { customerWrites, joinConversation, say, signIn, stack, startVisitor, type Operator, type Tenant, type TestSocket, type Visitor } from "../scripts/test-kit/clients";

// Analytics (issue 16, A1–A8) in a real browser, on conversations made through
// the real widget API and rooms: a bot alone, bot then a person (rated 5 and 2),
// a customer who left the queue. Filters, drill-down, CSV against the screen,
// and a new conversation showing up live.

let browser: Browser;
let tenant: Tenant;
let owner: Operator;
let agent: Operator;
let page: Page;
let tagId = "";
const errors: string[] = [];
const worked: string[] = [];

/** The whole view: the page grows to the Analytics section's height for the picture, then goes back. */
async function shot(name: string) {
  const height = await page.evaluate(() => document.querySelector(".analytics")?.scrollHeight ?? innerHeight);
  await page.setViewportSize({ width: 1440, height: Math.max(900, Math.min(height, 4000)) });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function ok(response: Promise<Response>, what: string) {
  const answer = await response;
  if (!answer.ok) throw new Error(`${what}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as any;
}

type Customer = { id: string; visitor: Visitor; socket: TestSocket };

/** A customer who opens a conversation and writes; the bot answers (or hands over). */
async function customerSaying(text: string, until: (frame: { type: string; [key: string]: any }) => boolean): Promise<Customer> {
  const visitor = await startVisitor(tenant.publicKey);
  const id = await visitor.createConversation();
  const socket = await joinConversation(id, { token: visitor.token });
  const from = socket.frames.length;
  await say(socket, text);
  await socket.next(until, { from });
  return { id, visitor, socket };
}

const botAnswered = (f: { type: string; [key: string]: any }) => f.type === "message" && f.message.authorKind === "bot";
const queued = (f: { type: string; [key: string]: any }) => f.type === "conversation" && f.conversation.status === "queued";

/** `by` claims the waiting conversation and answers it. */
async function answer(by: Operator, id: string, body = "Happy to help.") {
  await ok(by.request(`/api/ops/conversations/${id}/claim`, { method: "POST" }), "claim");
  await reply(by, id, body);
}

const reply = (by: Operator, id: string, body: string) =>
  ok(by.request(`/api/ops/conversations/${id}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: newId(), body }) }), "reply");

async function closeAndRate(by: Operator | null, customer: Customer, rating: { rating: number; resolved: boolean; comment?: string }) {
  const { id, visitor, socket } = customer;
  if (by) await ok(by.request(`/api/ops/conversations/${id}/close`, { method: "POST" }), "close");
  else await ok(visitor.request(`/api/widget/conversations/${id}/close`, { method: "POST" }), "close");
  await ok(visitor.request(`/api/widget/conversations/${id}/rating`, { method: "POST", body: JSON.stringify(rating) }), "rate");
  await socket.close();
}

/** The text of a visible table: header labels and cells, as a person reads them. */
async function tableOnScreen(table: Locator) {
  const header = await table.locator("thead [data-testid=th-label]").allInnerTexts();
  const rows: string[][] = [];
  for (const row of await table.locator("tbody tr[data-testid=an-row]").all()) rows.push((await row.locator("[data-testid=cell]").allInnerTexts()).map((t) => t.trim()));
  return [header.map((t) => t.trim()), ...rows];
}

/** RFC 4180, as a spreadsheet reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else if (c !== "\r") field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

async function figure(testid: string) {
  return Number((await page.locator(`[data-testid=${testid}] [data-testid=figure-value]`).innerText()).replace(/,/g, ""));
}

async function openView(view: string) {
  await page.click(`[data-testid=an-tab-${view}]`);
  await page.locator(`[data-testid=analytics][data-view=${view}] [data-testid=an-body][aria-busy=false] .an-grid`).waitFor();
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The demo knowledge base and the bot on: every conversation starts with the bot.
  tenant = await botTenant("Analytics e2e");
  owner = await signIn(tenant.owner.email, tenant.owner.password);
  agent = await signIn(tenant.agent.email, tenant.agent.password);
  tagId = (await ok(owner.request("/api/ops/workbench/tags", { method: "POST", body: JSON.stringify({ name: "Refunds", color: "#dc2626" }) }), "tag")).tag.id;

  // The bot alone: it answers, the customer thanks it, closes and rates 4.
  const alone = await customerSaying("How long does delivery take?", botAnswered);
  await say(alone.socket, "Thank you, great!");
  await closeAndRate(null, alone, { rating: 4, resolved: true });
  // A complaint: the bot hands it over; the owner answers and closes; rated 2.
  const complaint = await customerSaying("This is a terrible service, I will complain!", queued);
  await answer(owner, complaint.id);
  await closeAndRate(owner, complaint, { rating: 2, resolved: false, comment: "Too slow" });
  // Asks for a person at once; the agent answers twice (a first response, then a reply time); rated 5; tagged.
  const asked = await customerSaying("Hello", botAnswered);
  const from = asked.socket.frames.length;
  asked.socket.send({ type: "escalate" });
  await asked.socket.next(queued, { from });
  await answer(agent, asked.id, "Hi, I am here. What is the refund about?");
  await say(asked.socket, "Order 77, thanks");
  await reply(agent, asked.id, "Done, the money is on its way.");
  await ok(agent.request(`/api/ops/workbench/conversations/${asked.id}/tags`, { method: "POST", body: JSON.stringify({ tagId }) }), "tag it");
  await closeAndRate(agent, asked, { rating: 5, resolved: true });
  worked.push(complaint.id, asked.id);
  // Hands over and leaves before anyone answers.
  const left = await customerSaying("I need a human, this is a terrible delay", queued);
  await ok(left.visitor.request(`/api/widget/conversations/${left.id}/close`, { method: "POST" }), "leave");
  await left.socket.close();

  browser = await launchBrowser();
  page = await dashboardAs(tenant.owner);
});

/** A signed-in dashboard in a browser context of its own; its errors are collected. */
async function dashboardAs(who: { email: string; password: string }) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const opened = await context.newPage();
  opened.on("pageerror", (error) => errors.push(error.message));
  // Before signing in, the dashboard's question "who am I?" is a 401 by design.
  opened.on("console", (message) => message.type() === "error" && !message.text().includes("401") && errors.push(message.text()));
  await opened.goto(`${stack().url}/dashboard/`);
  await opened.fill("[data-testid=login-email]", who.email);
  await opened.fill("[data-testid=login-password]", who.password);
  await opened.click("[data-testid=login-submit]");
  await opened.locator("[data-testid=tab-queue]").waitFor();
  return opened;
}

afterAll(async () => {
  await browser?.close();
});

describe("Analytics in the dashboard", BROWSER, () => {
  it("loads as a chunk of its own on its route, and shows the speed of the seeded conversations", async () => {
    const loaded = () => page.evaluate(() => performance.getEntriesByType("resource").map((r) => new URL(r.name).pathname));
    expect((await loaded()).filter((path) => path.includes("analytics"))).toEqual([]);
    await page.click("[data-testid=nav-analytics]");
    await page.locator("[data-testid=card-firstResponse]").waitFor();
    // Its code and style came on the route, not before, under the dashboard's strict policy (own origin only).
    const policy = (await page.request.get(`${stack().url}/dashboard/`)).headers()["content-security-policy"];
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect((await loaded()).some((path) => /^\/dashboard\/analytics-view-\w+\.js$/.test(path))).toBe(true);
    expect(await loaded()).toContain("/dashboard/analytics.css");
    // Two conversations got a first human reply; one customer of three who waited left.
    const firstResponse = page.locator("[data-testid=card-firstResponse]");
    expect(await firstResponse.locator("[data-figure=n] [data-testid=figure-value]").innerText()).toBe("2");
    expect(await page.locator("[data-testid=figure-abandoned] [data-testid=figure-value]").innerText()).toBe("33.3 %");
    // The definition is a tooltip and describes its (i) button.
    const info = firstResponse.locator("h3 [data-testid=definition]");
    const described = await info.getAttribute("aria-describedby");
    expect(await page.locator(`#${described}`).textContent()).toContain("First response time: from the hand-off to people");
    await info.focus();
    expect(await page.locator(`#${described}`).isVisible()).toBe(true);
    await shot("analytics-speed");
  });

  it("shows every view, each without errors", async () => {
    for (const view of ["load", "teams", "automation", "satisfaction", "topics", "speed"]) {
      await openView(view);
      expect(await page.locator("[data-testid=an-problem]").count()).toBe(0);
      await shot(`analytics-${view}`);
    }
    await openView("satisfaction");
    expect(await page.locator("[data-testid=figure-mean] [data-testid=figure-value]").innerText()).toBe("3.67");
    // Per operator too, ranked by the Wilson lower bound: the agent's 5 above the owner's 2.
    await page.locator("[data-testid=card-csat-operators] [data-testid=an-row]").first().waitFor();
    expect(await page.locator("[data-testid=card-csat-operators] tbody th").allInnerTexts()).toEqual([tenant.agent.name, tenant.owner.name]);
    await shot("analytics-satisfaction");
    await openView("automation");
    // All four started with the bot; three were handed to people; the one it kept is pending for 7 days.
    expect(await figure("figure-with-bot")).toBe(4);
    expect(await page.locator("[data-testid=figure-handed-off] [data-testid=figure-value]").innerText()).toBe("75 %");
    await openView("topics");
    expect(await page.locator("[data-testid=card-tags] tbody", { hasText: "Refunds" }).count()).toBe(1);
  });

  it("changes filters, keeps them in the address over a reload, and compares with the previous period", async () => {
    await openView("load");
    expect(await figure("figure-started")).toBe(4);
    await page.click("[data-testid=range-7]");
    await page.waitForFunction(() => location.hash.includes("range=7"));
    // Only the agent's conversations: the one they handled.
    await page.click("[data-testid=filter-operator] summary");
    await page.check(`[data-testid=filter-operator] input[value="${tenant.agent.id}"]`);
    await page.waitForFunction(() => location.hash.includes("operator="));
    await page.locator("[data-testid=an-body][aria-busy=false]").waitFor();
    await expect.poll(() => figure("figure-started")).toBe(1);
    await page.selectOption("[data-testid=group-by]", "week");
    await page.waitForFunction(() => location.hash.includes("groupBy=week"));
    await page.click("[data-testid=card-series] [data-testid=show-table]");
    await expect.poll(async () => (await page.locator("[data-testid=card-series] tbody [data-testid=cell]").first().innerText()).startsWith("Week of")).toBe(true);
    await page.check("[data-testid=compare]");
    await page.locator("[data-testid=figure-started] [data-testid=figure-before]").waitFor();
    await shot("analytics-filters");

    await page.reload();
    await page.locator("[data-testid=figure-started] [data-testid=figure-before]").waitFor();
    expect(await page.locator("[data-testid=range-7]").getAttribute("aria-pressed")).toBe("true");
    expect(await page.locator("[data-testid=group-by]").inputValue()).toBe("week");
    expect(await page.locator("[data-testid=filter-operator] summary").innerText()).toContain(tenant.agent.name ?? "");
    expect(await figure("figure-started")).toBe(1);
    // Back to everyone, day by day.
    await page.goto(`${stack().url}/dashboard/#/analytics/load?range=7`);
    await expect.poll(() => figure("figure-started")).toBe(4);

    // A custom range of the last three days, and durations within working hours (the site has none: always open).
    const today = new Date().toISOString().slice(0, 10);
    const threeDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    await page.click("[data-testid=range-custom]");
    await page.fill("[data-testid=custom-from]", threeDaysAgo);
    await page.fill("[data-testid=custom-to]", today);
    await page.click("[data-testid=custom-apply]");
    await page.waitForFunction((from) => location.hash.includes(`from=${from}`), threeDaysAgo);
    await page.check("[data-testid=working-hours]");
    await page.waitForFunction(() => location.hash.includes("hours=working"));
    await page.locator("[data-testid=an-body][aria-busy=false]").waitFor();
    expect(await page.locator("[data-testid=card-series] [data-testid=series-bucket]").count()).toBe(3);
    await expect.poll(() => figure("figure-started")).toBe(4);
    expect(await page.locator("[data-testid=an-problem]").count()).toBe(0);
    await page.goto(`${stack().url}/dashboard/#/analytics/load?range=7`);
    await expect.poll(() => figure("figure-started")).toBe(4);
  });

  it("drills down from a chart to its conversations and opens one", async () => {
    await openView("load");
    const today = page.locator("[data-testid=card-series] [data-series=Started] [data-testid=series-point]").last();
    expect(await today.getAttribute("data-value")).toBe("4");
    await page.locator("[data-testid=card-series] [data-testid=series-bucket]").last().click();
    await page.click("[data-testid=series-menu] [data-testid=series-drill][data-series=Started]");
    const dialog = page.locator("[data-testid=drill-dialog]");
    await dialog.locator("[data-testid=drill-row]").first().waitFor();
    expect(await dialog.locator("[data-testid=drill-row]").count()).toBe(4);
    await shot("analytics-drill");
    const id = await dialog.locator(`[data-testid=drill-row][data-id="${worked[0]}"]`).getAttribute("data-id");
    await dialog.locator(`[data-testid=drill-row][data-id="${id}"] [data-testid=drill-open]`).click();
    await page.waitForFunction((wanted) => location.hash === `#/c/${wanted}`, id);
    await page.locator(".thread-head h1").waitFor();
    await page.goBack();
    await page.locator("[data-testid=analytics][data-view=load]").waitFor();
  });

  it("drills down from a heat map cell, a histogram bin and a table row to as many conversations as they count", async () => {
    const dialog = page.locator("[data-testid=drill-dialog]");
    const listed = async (expected: number) => {
      await expect.poll(() => dialog.locator("[data-testid=drill-row]").count()).toBe(expected);
      expect(await dialog.locator("[data-testid=drill-count]").innerText()).toBe(`${expected} ${expected === 1 ? "conversation" : "conversations"}`);
      await dialog.locator("[data-testid=drill-close]").click();
      await dialog.waitFor({ state: "detached" });
    };
    await openView("load");
    const cell = page.locator("[data-testid=card-heatmap] [data-testid=heat-cell]:not([data-value='0'])").first();
    const inCell = Number(await cell.getAttribute("data-value"));
    expect(inCell).toBeGreaterThan(0);
    await cell.click();
    await listed(inCell);

    await openView("speed");
    const bin = page.locator("[data-testid=card-firstResponse] [data-testid=bar]:not([data-value='0'])").first();
    expect(await bin.getAttribute("data-value")).toBe("2");
    await bin.click();
    await listed(2);

    await openView("teams");
    const row = page.locator("[data-testid=card-operators] [data-testid=an-row]", { hasText: tenant.agent.name });
    await row.locator("[data-testid=drill]").click();
    await dialog.locator("[data-testid=drill-row]").first().waitFor();
    expect(await dialog.locator("[data-testid=drill-row] td:nth-child(5)").allInnerTexts()).toEqual([tenant.agent.name]);
    await dialog.locator("[data-testid=drill-close]").click();
  });

  it("exports a table's CSV exactly as the screen shows it", async () => {
    await openView("teams");
    const card = page.locator("[data-testid=card-operators]");
    const screen = await tableOnScreen(card.locator("[data-testid=an-table]"));
    expect(screen.length).toBe(3);
    const [download] = await Promise.all([page.waitForEvent("download"), card.locator("[data-testid=csv]").click()]);
    expect(download.suggestedFilename()).toBe("operators.csv");
    const csv = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
    expect(parseCsv(csv)).toEqual(screen);
    // Sorted otherwise on screen, sorted so in the file.
    await card.locator("thead [data-testid=sort]").first().click();
    const resorted = await tableOnScreen(card.locator("[data-testid=an-table]"));
    const [again] = await Promise.all([page.waitForEvent("download"), card.locator("[data-testid=csv]").click()]);
    expect(parseCsv(readFileSync((await again.path())!, "utf8").replace(/^\uFEFF/, ""))).toEqual(resorted);

    // A chart's table too: the ratings, 1 to 5.
    await openView("satisfaction");
    const ratings = page.locator("[data-testid=card-ratings]");
    await ratings.locator("[data-testid=show-table]").click();
    const shown = await tableOnScreen(ratings.locator("[data-testid=an-table]"));
    expect(shown.slice(1).map((r) => r[1])).toEqual(["0", "1", "0", "1", "1"]);
    const [file] = await Promise.all([page.waitForEvent("download"), ratings.locator("[data-testid=csv]").click()]);
    expect(parseCsv(readFileSync((await file.path())!, "utf8").replace(/^\uFEFF/, ""))).toEqual(shown);
  });

  it("links the streamed exports with the current filters", async () => {
    const href = await page.locator("[data-testid=export-conversations]").getAttribute("href");
    expect(href).toMatch(/^\/api\/ops\/analytics\/export\/conversations\.csv\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
    const csv = await (await owner.request(href!)).text();
    // A header and one line per conversation of the period.
    expect(csv.trim().split("\n").length).toBeGreaterThanOrEqual(5);
  });

  it("shows a new conversation live, without a reload", async () => {
    await openView("load");
    const before = await figure("figure-started");
    await page.evaluate(() => ((window as { __marker?: number }).__marker = 1));
    const started = Date.now();
    await customerWrites(tenant.publicKey, "Live one");
    await expect.poll(() => figure("figure-started"), { timeout: 15_000, interval: 200 }).toBe(before + 1);
    // The same page: no reload happened.
    expect(await page.evaluate(() => (window as { __marker?: number }).__marker)).toBe(1);
    console.log(`live: the new conversation showed after ${Date.now() - started} ms`);
    await shot("analytics-live");
  });

  it("lets an admin change the workspace's time zone, which moves the days", async () => {
    const period = page.locator("[data-testid=an-period]");
    await page.click("[data-testid=an-settings] summary");
    await page.fill("[data-testid=an-time-zone]", "Pacific/Kiritimati");
    await page.click("[data-testid=an-settings-save]");
    await expect.poll(() => period.innerText()).toContain("Pacific/Kiritimati");
    const stored = await ok(owner.request("/api/ops/analytics/settings"), "settings");
    expect(stored.timeZone).toBe("Pacific/Kiritimati");
    // The range ends today in Kiritimati (UTC+14), which is tomorrow in UTC from 10:00 UTC on.
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Pacific/Kiritimati" }).format(Date.now());
    await expect.poll(() => page.locator("[data-testid=export-conversations]").getAttribute("href")).toContain(`to=${today}`);
    await ok(owner.request("/api/ops/analytics/settings", { method: "PUT", body: JSON.stringify({ timeZone: "UTC" }) }), "back to UTC");
  });

  it("warns in a banner when hand-offs rose past the threshold against the previous period", async () => {
    // Two days scripted in the past (the golden tables' kit restamps what the rooms wrote): on Monday the bot
    // answers both customers alone; on Tuesday one of two asks for a person. Hand-offs 0 % → 50 %.
    const script = await Script.open("Analytics warning", { bot: {} });
    const [a, b, c, d] = [script.customer(), script.customer(), script.customer(), script.customer()];
    await script.at("2026-11-23T10:00+02:00", () => a.start("сколько стоит доставка?", "reply"));
    await script.at("2026-11-23T10:03+02:00", () => a.close());
    await script.at("2026-11-23T10:10+02:00", () => b.start("сколько стоит доставка?", "reply"));
    await script.at("2026-11-23T10:13+02:00", () => b.close());
    await script.at("2026-11-24T10:00+02:00", () => c.start("сколько стоит доставка?", "reply"));
    await script.at("2026-11-24T10:03+02:00", () => c.close());
    await script.at("2026-11-24T10:10+02:00", () => d.start("позовите оператора", "queued"));
    await script.retime();
    const lead = await dashboardAs(script.tenant.owner);
    await lead.goto(`${stack().url}/dashboard/#/analytics/automation?from=2026-11-24&to=2026-11-24&compare=1`);
    const banner = lead.locator("[data-testid=handoff-warning]");
    await banner.waitFor();
    expect(await banner.innerText()).toContain("Hand-offs are up 50.0 points");
    expect(await banner.getAttribute("role")).toBe("alert");
    expect(await lead.locator("[data-testid=figure-handed-off] [data-testid=figure-change]").innerText()).toContain("+50 pts");
    await lead.screenshot({ path: join(SCREENSHOTS, "analytics-warning.png") });
    // A day without the rise has no banner.
    await lead.goto(`${stack().url}/dashboard/#/analytics/automation?from=2026-11-23&to=2026-11-23&compare=1`);
    await expect.poll(() => lead.locator("[data-testid=an-period]").innerText()).toContain("against 22 Nov 2026");
    await expect.poll(() => lead.locator("[data-testid=figure-handed-off] [data-testid=figure-value]").innerText(), { timeout: 10_000 }).toBe("0 %");
    expect(await banner.count()).toBe(0);
    await lead.context().close();
  });

  it("had no page errors", () => {
    expect(errors).toEqual([]);
  });
});
