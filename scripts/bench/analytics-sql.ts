// Which SQL makes an analytics view slow: runs the Worker's own view code in
// Node against the seeded libSQL, records every statement it sends, then
// times each alone (the median of three) and asks SQLite for its plan.
//
//   LIBSQL_URL=http://127.0.0.1:PORT WORKSPACE=<id> [VIEWS=load,teams] [DAYS=90] npx tsx scripts/bench/analytics-sql.ts
//
// `npm run bench` prints the same for every view at 90 days when
// BENCH_ANALYTICS_EXPLAIN=1.
import { createClient, type InValue } from "@libsql/client/web";
import { AnalyticsQuery, ANALYTICS_VIEWS, type AnalyticsView } from "@tandem/protocol";
import { drizzle } from "drizzle-orm/libsql/web";
import { pathToFileURL } from "node:url";
import * as v from "valibot";
import { scopeOf } from "../../worker/src/analytics/scope";
import { answer, readAnalyticsSettings } from "../../worker/src/analytics/views";
import * as schema from "../../worker/src/db/schema";
import { rangeOf } from "./analytics";
import { treeCpuMs } from "./process-cpu";

/** Runs of each statement alone: wall times vary with whatever else the machine does; CPU time much less. */
const RUNS = 5;

/** A statement alone: its median wall time, and sqld's CPU time for it (ms, mean of the runs) when sqld's pid is known. */
export type StatementProfile = { sql: string; params: unknown[]; ms: number; cpuMs: number | null; rows: number; plan: string[] };
export type ViewProfile = { view: AnalyticsView; days: number; wallMs: number; statements: StatementProfile[] };

/** The indented plan SQLite gives for a statement (EXPLAIN QUERY PLAN). */
async function planOf(client: ReturnType<typeof createClient>, query: string, params: unknown[]) {
  const { rows } = await client.execute({ sql: `EXPLAIN QUERY PLAN ${query}`, args: params as InValue[] });
  const depth = new Map<number, number>();
  return rows.map((row) => {
    const level = (depth.get(Number(row.parent)) ?? -1) + 1;
    depth.set(Number(row.id), level);
    return `${"  ".repeat(level)}${row.detail}`;
  });
}

/**
 * fetch that waits and tries again when sqld turns a request away (429: its
 * connections are all busy), as the Worker's does; and, as the Worker's
 * fetch does, asks for the body as it is: Node's fetch offers gzip and br,
 * and sqld then compresses every answer, which took 100–300 ms for 200 KB.
 */
async function patientFetch(request: Request): Promise<Response> {
  const plain = new Request(request, { headers: new Headers(request.headers) });
  plain.headers.set("accept-encoding", "identity");
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(plain.clone() as Request);
    if (response.status !== 429 || attempt === 50) return response;
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}

/** One view over the last `days` days: its wall time in Node, and each of its statements alone. */
export async function profileView(libsqlUrl: string, workspaceId: string, view: AnalyticsView, days: number, sqldPid?: number): Promise<ViewProfile> {
  const client = createClient({ url: libsqlUrl, fetch: patientFetch });
  const captured: Array<{ sql: string; params: unknown[] }> = [];
  const db = drizzle(client, { schema, logger: { logQuery: (query, params) => captured.push({ sql: query, params }) } });
  try {
    const settings = await readAnalyticsSettings(db, workspaceId);
    const scope = scopeOf(db, workspaceId, settings.timeZone, v.parse(AnalyticsQuery, rangeOf(days)));
    captured.length = 0;
    const started = performance.now();
    await answer(view, scope, settings);
    const wallMs = performance.now() - started;
    const statements: StatementProfile[] = [];
    for (const { sql: query, params } of captured) {
      const times: number[] = [];
      let rows = 0;
      const cpu = sqldPid ? treeCpuMs(sqldPid) : 0;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        rows = (await client.execute({ sql: query, args: params as InValue[] })).rows.length;
        times.push(performance.now() - t);
      }
      const cpuMs = sqldPid ? (treeCpuMs(sqldPid) - cpu) / RUNS : null;
      statements.push({ sql: query, params, ms: times.sort((a, b) => a - b)[RUNS >> 1], cpuMs, rows, plan: await planOf(client, query, params) });
    }
    return { view, days, wallMs, statements: statements.sort((a, b) => b.ms - a.ms) };
  } finally {
    client.close();
  }
}

/** Prints a view's statements, slowest first, each with its plan; `top` of them. */
export function reportProfile(profile: ViewProfile, top = 3) {
  const total = profile.statements.reduce((sum, s) => sum + s.ms, 0);
  const cpu = profile.statements.reduce((sum, s) => sum + (s.cpuMs ?? 0), 0);
  console.log(
    `\n  ${profile.view} at ${profile.days} days: ${profile.wallMs.toFixed(0)} ms in Node (statements in parallel), ${profile.statements.length} statements, ` +
      `${total.toFixed(0)} ms one after another${profile.statements[0]?.cpuMs === null ? "" : `, sqld CPU ${cpu.toFixed(0)} ms`}`,
  );
  for (const s of profile.statements.slice(0, top)) {
    const text = s.sql.replace(/\s+/g, " ").trim();
    const cpuText = s.cpuMs === null ? "" : ` (CPU ${s.cpuMs.toFixed(0)} ms)`;
    console.log(`    ${s.ms.toFixed(0).padStart(6)} ms${cpuText}  ${s.rows} rows  ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`);
    for (const line of s.plan) console.log(`              ${line}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const url = process.env.LIBSQL_URL;
  const workspace = process.env.WORKSPACE;
  if (!url || !workspace) {
    console.error("Set LIBSQL_URL and WORKSPACE (and optionally VIEWS=speed,load and DAYS=90).");
    process.exit(1);
  }
  const views = (process.env.VIEWS?.split(",") ?? ANALYTICS_VIEWS) as AnalyticsView[];
  const pid = process.env.SQLD_PID ? Number(process.env.SQLD_PID) : undefined;
  for (const view of views) reportProfile(await profileView(url, workspace, view, Number(process.env.DAYS ?? 90), pid), Number(process.env.TOP ?? 3));
}
