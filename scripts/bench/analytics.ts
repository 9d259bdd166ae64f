// Analytics at a real size (issue 16, "Fast at a real size"): a year of
// 100,000 conversations, then the analytics API per view at 30, 90 and 365
// days, the dashboard's Analytics route from click to drawn in Chromium, and
// a 100,000-row CSV export with the Worker's memory watched.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { ANALYTICS_VIEWS, type AnalyticsView } from "@tandem/protocol";
import type { CDPSession } from "playwright-core";
import WebSocket from "ws";
import { launchBrowser } from "../test-kit/browser";
import { seedAnalytics, type AnalyticsSeed } from "./analytics-seed";
import { localDay } from "./analytics-seed-calendar";

const CONVERSATIONS = Number(process.env.BENCH_ANALYTICS_CONVERSATIONS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ANALYTICS_ROUNDS ?? 20);
const BROWSER_ROUNDS = Number(process.env.BENCH_ANALYTICS_BROWSER_ROUNDS ?? 7);
export const RANGES = [30, 90, 365] as const;

/** The issue's targets. */
export const API_TARGET_MS = 300;
export const ROUTE_TARGET_MS = 1000;

/**
 * When the Analytics route counts as drawn: the Speed view (the route opens
 * on it) has its answer and its four histograms are in the page. An
 * expression evaluated in the page.
 */
export const DRAWN = `document.querySelector('[data-testid=an-body][aria-busy=false] [data-testid=card-replyTime] svg')`;

export type Percentiles = { n: number; p50: number; p95: number; max: number; first: number };
/** A view at a range: its answered requests, and those that failed (status and time), which are not in the percentiles. */
export type ApiCell = Percentiles & { failed: Array<{ status: number; ms: number }> };

export type AnalyticsBench = {
  seed: { conversations: number; seconds: number; rows: Record<string, number>; left: number };
  /** Per view and range (days): the API's answer time, ms, network included. */
  api: Record<AnalyticsView, Record<number, ApiCell>>;
  /** The Speed view at 90 days through wrangler dev's proxy, for comparison with the direct figures. */
  viaProxy: Percentiles;
  /**
   * Click on the nav link → the Speed view's charts drawn, ms: in a fresh
   * browser (the chunk fetched), and again in the same page; with the part
   * of it the Speed view's API request took (Resource Timing).
   */
  route: { first: Percentiles; again: Percentiles; firstApi: Percentiles; againApi: Percentiles };
  csv: {
    rows: number;
    bytes: number;
    firstByteMs: number;
    lastByteMs: number;
    rss: { before: number; peak: number; after: number };
    /**
     * As the rows came in, every 10,000: workerd's RSS and, with
     * BENCH_ANALYTICS_HEAP=1, the Worker isolate's JS heap in use (MB, from
     * wrangler's inspector; null otherwise). A heap that saws up and down
     * holds a page at a time; one that climbs with the rows holds the file.
     */
    timeline: Array<{ rows: number; rss: number; heap: number | null }>;
  };
  load: { before: number[]; after: number[] };
};

/** Nearest-rank percentiles of a sample (ms). */
export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? Number.NaN, first: samples[0] ?? Number.NaN };
}

/** The last `days` days up to and including today, in the workspace's time zone, as the dashboard's presets ask. */
export function rangeOf(days: number, now = Date.now()) {
  const to = localDay(now);
  const from = new Date(Date.parse(`${to}T12:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

async function signIn(url: string, email: string, password: string) {
  const login = await fetch(`${url}/api/ops/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!login.ok) throw new Error(`bench login failed: ${login.status} ${await login.text()}`);
  return login.headers.get("set-cookie")!.split(";")[0];
}

/** One view's answer, read to the last byte: its time in ms and status. */
async function timeView(url: string, cookie: string, view: AnalyticsView, range: { from: string; to: string }) {
  const started = performance.now();
  const response = await fetch(`${url}/api/ops/analytics/${view}?from=${range.from}&to=${range.to}`, { headers: { cookie } }).catch((error: Error) => {
    throw new Error(`${error.message}: the Worker went away. wrangler dev restarts it when a source file changes; bench a tree nobody edits (git archive HEAD)`, { cause: error });
  });
  const body = await response.text();
  const ms = performance.now() - started;
  // A 500 is a finding (the Worker gives up on libSQL after 10 s), not the bench's failure; anything else is.
  if (!response.ok && response.status !== 500) throw new Error(`analytics ${view} ${range.from}..${range.to}: ${response.status} ${body.slice(0, 300)}`);
  return { ms, status: response.status };
}

/** Failures in a row after which a view at a range is not asked again. */
const GIVE_UP = 3;

/**
 * The API: ROUNDS rounds of every view per range, views interleaved, every
 * answer counted (no warm-up left out). A view that fails GIVE_UP times in a
 * row at a range is not asked again there.
 */
export async function measureApi(url: string, cookie: string): Promise<AnalyticsBench["api"]> {
  const cells = new Map<string, { ok: number[]; failed: Array<{ status: number; ms: number }>; streak: number }>();
  for (const days of RANGES) {
    const range = rangeOf(days);
    for (let round = 0; round < ROUNDS; round++) {
      for (const view of ANALYTICS_VIEWS) {
        const key = `${view}:${days}`;
        const cell = cells.get(key) ?? { ok: [], failed: [], streak: 0 };
        cells.set(key, cell);
        if (cell.streak >= GIVE_UP) continue;
        const { ms, status } = await timeView(url, cookie, view, range);
        if (status === 200) {
          cell.ok.push(ms);
          cell.streak = 0;
        } else {
          cell.failed.push({ status, ms });
          cell.streak++;
        }
      }
    }
  }
  return Object.fromEntries(
    ANALYTICS_VIEWS.map((view) => [
      view,
      Object.fromEntries(RANGES.map((days) => [days, { ...percentiles(cells.get(`${view}:${days}`)!.ok), failed: cells.get(`${view}:${days}`)!.failed }])),
    ]),
  ) as AnalyticsBench["api"];
}

/** Runs an expression in the page over CDP (not Playwright's evaluate, which works on the thread being timed). */
async function inPage<T>(cdp: CDPSession, expression: string): Promise<T> {
  const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
  if (exceptionDetails) throw new Error(`in page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  return result.value as T;
}

async function waitIn(cdp: CDPSession, condition: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await inPage<boolean>(cdp, `Boolean(${condition})`))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * In the page: clicks the Analytics link and resolves with the ms from the
 * click to the frame after the charts are in the DOM (a task queued from the
 * next animation frame runs once that frame is painted).
 */
const CLICK_TO_DRAWN = `new Promise((resolve, reject) => {
  const started = performance.now();
  const timer = setTimeout(() => { observer.disconnect(); reject(new Error("not drawn in 30 s")); }, 30000);
  const done = () => {
    if (!(${DRAWN})) return false;
    observer.disconnect();
    clearTimeout(timer);
    requestAnimationFrame(() => setTimeout(() => {
      const total = performance.now() - started;
      const api = performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/ops/analytics/speed") && e.startTime >= started).at(-1);
      resolve({ total, api: api ? api.duration : null });
    }));
    return true;
  };
  const observer = new MutationObserver(done);
  observer.observe(document.body, { childList: true, subtree: true, attributes: true });
  document.querySelector("[data-testid=nav-analytics]").click();
})`;

/** The route, signed in and on the inbox: click Analytics, time until drawn; then back to the inbox and again. */
export async function measureRoute(url: string, cookie: string): Promise<AnalyticsBench["route"]> {
  const browser = await launchBrowser();
  const first: number[] = [];
  const again: number[] = [];
  const firstApi: number[] = [];
  const againApi: number[] = [];
  type Drawn = { total: number; api: number | null };
  try {
    for (let round = 0; round < BROWSER_ROUNDS; round++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const [name, value] = cookie.split("=");
      await context.addCookies([{ name, value, url }]);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await page.goto(`${url}/dashboard/`);
      await waitIn(cdp, `document.querySelector("[data-testid=nav-analytics]") && document.querySelector("[data-testid=tab-queue]")`);
      // Let the inbox settle (its snapshot, the socket) so the click is not timed against its start.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const one = await inPage<Drawn>(cdp, CLICK_TO_DRAWN);
      first.push(one.total);
      if (one.api !== null) firstApi.push(one.api);
      await inPage(cdp, `location.hash = "#/"`);
      await waitIn(cdp, `!document.querySelector("[data-testid=analytics]") && document.querySelector("[data-testid=tab-queue]")`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const two = await inPage<Drawn>(cdp, CLICK_TO_DRAWN);
      again.push(two.total);
      if (two.api !== null) againApi.push(two.api);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { first: percentiles(first), again: percentiles(again), firstApi: percentiles(firstApi), againApi: percentiles(againApi) };
}

/** This process's descendants (wrangler dev, its workerd), from /proc. */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      children = children.concat(readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number));
    }
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/**
 * The Worker's own address inside this process's `wrangler dev`, past its
 * proxy, and the pid of the workerd that runs it: a port that a workerd
 * started by us listens on, other than the proxy's, answering our API's JSON
 * 404. Only our own processes: other stacks may run on this machine.
 */
export async function ownWorker(proxyUrl: string): Promise<{ url: string; pid: number }> {
  const ours = new Set(descendants(process.pid));
  const proxyPort = new URL(proxyUrl).port;
  const listeners = execFileSync("ss", ["-ltnpH"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes('"workerd"'))
    .map((line) => ({ port: line.split(/\s+/)[3]?.split(":").at(-1), pid: Number(line.match(/pid=(\d+)/)?.[1]) }))
    .filter((l): l is { port: string; pid: number } => !!l.port && l.port !== proxyPort && ours.has(l.pid));
  for (const { port, pid } of listeners) {
    const url = `http://127.0.0.1:${port}`;
    const answer = await fetch(`${url}/api/health`).catch(() => null);
    if (answer?.status === 404 && answer.headers.get("content-type")?.includes("application/json")) return { url, pid };
  }
  throw new Error("the Worker's own port was not found behind this process's wrangler dev");
}

/** A process's resident memory, MB, from /proc (0 once it is gone). */
function rssMb(pid: number): number {
  try {
    const kb = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/)?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Counts a CSV's records as its bytes arrive: line ends outside quotes ('"' and '\n' never occur inside a UTF-8 sequence). */
function csvCounter() {
  let quoted = false;
  let lines = 0;
  return {
    feed(chunk: Uint8Array) {
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i];
        if (byte === 34) quoted = !quoted;
        else if (byte === 10 && !quoted) lines++;
      }
    },
    get lines() {
      return lines;
    },
  };
}

/**
 * The JS heap in use of the Worker's isolate, through the inspector wrangler
 * dev opens (its port is on wrangler's command line); null when there is none.
 */
export async function workerHeap(): Promise<{ read: () => Promise<number | null>; close: () => void }> {
  const none = { read: async () => null, close: () => undefined };
  const wrangler = descendants(process.pid)
    .map((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0"))
    .find((args) => args.includes("--inspector-port"));
  if (!wrangler) return none;
  const port = wrangler[wrangler.indexOf("--inspector-port") + 1];
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  if (!targets[0]) return none;
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let next = 0;
  const waiting = new Map<number, (usedSize: number | null) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: { usedSize?: number } };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result?.usedSize ?? null);
  });
  return {
    read: () =>
      new Promise((resolve) => {
        const id = ++next;
        const timer = setTimeout(() => resolve(null), 2000);
        waiting.set(id, (used) => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve(used === null ? null : used / 1_048_576);
        });
        socket.send(JSON.stringify({ id, method: "Runtime.getHeapUsage" }));
      }),
    close: () => socket.close(),
  };
}

/**
 * The conversations export over the whole seeded year, read as it streams,
 * with the resident memory of the Worker's workerd sampled every 20 ms
 * before, during and after, and the Worker's JS heap every 10,000 rows.
 */
export async function measureCsv(url: string, cookie: string, range: { from: string; to: string }, workerPid: number): Promise<AnalyticsBench["csv"]> {
  const sample = async (ms: number) => {
    const values: number[] = [];
    const until = performance.now() + ms;
    while (performance.now() < until) {
      values.push(rssMb(workerPid));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return values;
  };
  // Opt-in: once in a full run, wrangler's inspector proxy grew to 3.6 GB at 99 % CPU while attached and the bench stalled.
  const none = { read: async () => null, close: () => undefined };
  const heap = process.env.BENCH_ANALYTICS_HEAP ? await workerHeap().catch(() => none) : none;
  const before = Math.max(...(await sample(1000)));
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(workerPid))), 20);
  const counter = csvCounter();
  const timeline: AnalyticsBench["csv"]["timeline"] = [{ rows: 0, rss: before, heap: await heap.read() }];
  let bytes = 0;
  let firstByteMs = 0;
  const started = performance.now();
  try {
    const response = await fetch(`${url}/api/ops/analytics/export/conversations.csv?from=${range.from}&to=${range.to}`, { headers: { cookie } });
    if (!response.ok) throw new Error(`export: ${response.status} ${await response.text()}`);
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!firstByteMs) firstByteMs = performance.now() - started;
      bytes += value.length;
      counter.feed(value);
      if (counter.lines - 1 >= timeline.at(-1)!.rows + 10_000) timeline.push({ rows: counter.lines - 1, rss: rssMb(workerPid), heap: await heap.read() });
    }
  } finally {
    clearInterval(sampler);
  }
  const lastByteMs = performance.now() - started;
  const after = Math.max(...(await sample(2000)));
  heap.close();
  return { rows: counter.lines - 1, bytes, firstByteMs, lastByteMs, rss: { before, peak, after }, timeline };
}

const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
const verdict = (value: number, target: number) => (value < target ? "within" : "over");

/** The lines `npm run bench` prints. */
export function reportAnalytics(result: AnalyticsBench, rounds = ROUNDS) {
  const { seed } = result;
  const rows = seed.rows;
  console.log(`\nAnalytics at a real size: one workspace (Europe/Kyiv), ${seed.conversations.toLocaleString("en")} conversations over a year`);
  console.log(
    `  seeded in ${seed.seconds.toFixed(1)} s: ${rows.messages.toLocaleString("en")} messages, ${rows.events.toLocaleString("en")} events, ${rows.contacts.toLocaleString("en")} contacts, ` +
      `${rows.conversation_tags.toLocaleString("en")} tags; ${seed.left.toLocaleString("en")} left the queue`,
  );
  console.log(`  load average before / after: ${result.load.before.map((x) => x.toFixed(1)).join(" ")} / ${result.load.after.map((x) => x.toFixed(1)).join(" ")} (2 cores)`);
  console.log(`\n  analytics API, ${rounds} requests per view and range, straight to the Worker (no wrangler proxy), as a supervisor`);
  console.log(`  ${"view".padEnd(18)}${RANGES.map((d) => `${d} days: p50 / p95`.padStart(24)).join("")}`);
  const cell = (c: ApiCell) => (c.n ? `${c.p50.toFixed(0).padStart(12)} / ${c.p95.toFixed(0).padStart(5)} ms` : `${"—".padStart(12)} /     — ms`);
  for (const view of ANALYTICS_VIEWS) {
    console.log(`  ${(view === "speed" ? "speed (overview)" : view).padEnd(18)}${RANGES.map((days) => cell(result.api[view][days])).join("")}`);
  }
  for (const view of ANALYTICS_VIEWS) {
    for (const days of RANGES) {
      const { failed, n } = result.api[view][days];
      if (!failed.length) continue;
      const statuses = [...new Set(failed.map((f) => f.status))].join(", ");
      console.log(`  ${view} at ${days} days: ${failed.length} of ${failed.length + n} requests failed (${statuses}, after ${Math.min(...failed.map((f) => f.ms)).toFixed(0)}–${Math.max(...failed.map((f) => f.ms)).toFixed(0)} ms)${failed.length >= GIVE_UP && n < rounds ? `; not asked again after ${GIVE_UP} in a row` : ""}`);
    }
  }
  const overview = result.api.speed[90];
  console.log(`  the first request of each (cold): ${ANALYTICS_VIEWS.map((v) => `${v} ${result.api[v][30].first.toFixed(0)}`).join(", ")} ms (30 days)`);
  console.log(`  speed at 90 days through wrangler dev's proxy: p50 ${result.viaProxy.p50.toFixed(0)} ms, p95 ${result.viaProxy.p95.toFixed(0)} ms`);
  const worst = ANALYTICS_VIEWS.reduce((a, b) => (result.api[b][90].p95 > result.api[a][90].p95 ? b : a));
  const overviewVerdict = overview.failed.length ? `${overview.failed.length} failed, over` : `${overview.p95.toFixed(0)} ms ${verdict(overview.p95, API_TARGET_MS)}`;
  console.log(`\n  verdict against p95 under ${API_TARGET_MS} ms at 90 days: overview (speed) ${overviewVerdict}; slowest view ${worst} ${result.api[worst][90].p95.toFixed(0)} ms ${verdict(result.api[worst][90].p95, API_TARGET_MS)}`);
  const { first, again, firstApi, againApi } = result.route;
  console.log(`\n  dashboard → Analytics in headless Chromium, click to the Speed view's charts drawn (${first.n} rounds, 30 days)`);
  console.log(`    first time in a fresh browser (the chunk fetched)   p50 ${ms(first.p50)}   p95 ${ms(first.p95)}   max ${ms(first.max)}`);
  console.log(`      of which the Speed view's API request            p50 ${ms(firstApi.p50)}   p95 ${ms(firstApi.p95)}`);
  console.log(`    again, back from the inbox                          p50 ${ms(again.p50)}   p95 ${ms(again.p95)}   max ${ms(again.max)}`);
  console.log(`      of which the Speed view's API request            p50 ${ms(againApi.p50)}   p95 ${ms(againApi.p95)}`);
  console.log(`    verdict against under ${ROUTE_TARGET_MS} ms: first p95 ${first.p95.toFixed(0)} ms ${verdict(first.p95, ROUTE_TARGET_MS)}`);
  const { csv } = result;
  console.log(`\n  CSV export of the year (GET /api/ops/analytics/export/conversations.csv)`);
  console.log(
    `    ${csv.rows.toLocaleString("en")} rows, ${(csv.bytes / 1_048_576).toFixed(1)} MB; first byte ${csv.firstByteMs.toFixed(0)} ms, last byte ${(csv.lastByteMs / 1000).toFixed(1)} s ` +
      `(${Math.round(csv.rows / (csv.lastByteMs / 1000)).toLocaleString("en")} rows/s)`,
  );
  console.log(
    `    the Worker's workerd, RSS: ${csv.rss.before.toFixed(0)} MB before, ${csv.rss.peak.toFixed(0)} MB at the peak (+${(csv.rss.peak - csv.rss.before).toFixed(0)} MB), ${csv.rss.after.toFixed(0)} MB after` +
      ` — against a file of ${(csv.bytes / 1_048_576).toFixed(0)} MB`,
  );
  console.log(`    as the rows came in (every 10,000): workerd RSS ${csv.timeline.map((t) => t.rss.toFixed(0)).join(" ")} MB`);
  if (csv.timeline.some((t) => t.heap !== null)) {
    console.log(`                                        the Worker's JS heap in use ${csv.timeline.map((t) => (t.heap === null ? "?" : t.heap.toFixed(0))).join(" ")} MB`);
  }
}

/** The whole analytics bench against a running stack: seeds its own workspace, measures, prints. */
export async function runAnalyticsBench(stack: { url: string; libsqlUrl: string }): Promise<AnalyticsBench> {
  const load = { before: loadavg(), after: [] as number[] };
  const seeded: AnalyticsSeed = await seedAnalytics(stack.libsqlUrl, { conversations: CONVERSATIONS });
  const { url: direct, pid: workerPid } = await ownWorker(stack.url);
  const cookie = await signIn(stack.url, seeded.world.supervisor.email, seeded.world.supervisor.password);
  const api = await measureApi(direct, cookie);
  const proxied: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const { ms, status } = await timeView(stack.url, cookie, "speed", rangeOf(90));
    if (status === 200) proxied.push(ms);
  }
  const route = await measureRoute(stack.url, cookie);
  const csv = await measureCsv(direct, cookie, { from: seeded.from, to: seeded.to }, workerPid);
  load.after = loadavg();
  const result: AnalyticsBench = {
    seed: { conversations: CONVERSATIONS, seconds: seeded.seconds, rows: seeded.rows, left: seeded.left },
    api,
    viaProxy: percentiles(proxied),
    route,
    csv,
    load,
  };
  reportAnalytics(result);
  if (process.env.BENCH_ANALYTICS_EXPLAIN) {
    // Which statements the time goes to, each view at 90 days (see analytics-sql.ts).
    const { profileView, reportProfile } = await import("./analytics-sql");
    const port = new URL(stack.libsqlUrl).port;
    const sqld = descendants(process.pid).find((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`127.0.0.1:${port}`));
    console.log(`\n  analytics SQL at 90 days, slowest statements first, each run alone${sqld ? "" : " (sqld's pid not found: no CPU times)"}`);
    for (const view of ANALYTICS_VIEWS) reportProfile(await profileView(stack.libsqlUrl, seeded.world.workspaceId, view, 90, sqld), 3);
  }
  return result;
}
