import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { DIST } from "./build";

/** What an operator's browser loads before the dashboard draws: app.js, the chunks it imports statically, app.css; gzip (level 9) (D13). */
export const DASHBOARD_BUDGET = 60 * 1024;

/**
 * The Analytics section (issue 16): the chunks only its route loads, and
 * their stylesheet. Measured at 20,003 B when it was set; at most 35 KB by
 * the issue, the chart code included.
 */
export const ANALYTICS_BUDGET = 24 * 1024;

export type DashboardSize = {
  /** Every JS and CSS file of the built dashboard, in bytes of gzip. */
  files: Record<string, number>;
  total: number;
  /** The files of the first load, and their sum. */
  firstLoad: string[];
  firstLoadTotal: number;
  /** The files only the Analytics route loads, and their sum. */
  analytics: string[];
  analyticsTotal: number;
};

const staticImports = (code: string) => [...code.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([\w.-]+\.js)["']/g)].map((m) => m[1]!);
const dynamicImports = (code: string) => [...code.matchAll(/\bimport\(\s*["']\.\/([\w.-]+\.js)["']\s*\)/g)].map((m) => m[1]!);

/** Every file reachable from `entries` by static imports, the entries included. */
function closure(dir: string, entries: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const next of staticImports(readFileSync(join(dir, name), "utf8"))) visit(next);
  };
  entries.forEach(visit);
  return seen;
}

/**
 * The built dashboard's sizes: the first load (app.js and what it imports
 * statically, app.css) and the Analytics chunks (what `import()` reaches
 * beyond the first load, and analytics.css, which that chunk links).
 */
export function dashboardSize(dist = process.env.TANDEM_DIST ?? DIST): DashboardSize {
  const dir = join(dist, "dashboard");
  const files: Record<string, number> = {};
  for (const name of readdirSync(dir, { recursive: true }).map(String).sort()) {
    if (/\.(js|css)$/.test(name)) files[name] = gzipSync(readFileSync(join(dir, name)), { level: 9 }).length;
  }
  const first = closure(dir, ["app.js"]);
  const lazyEntries = [...first].flatMap((name) => dynamicImports(readFileSync(join(dir, name), "utf8")));
  const lazy = [...closure(dir, lazyEntries)].filter((name) => !first.has(name));
  const firstLoad = [...first, "app.css"];
  const analytics = [...lazy, ...(existsSync(join(dir, "analytics.css")) ? ["analytics.css"] : [])];
  const sum = (names: string[]) => names.reduce((total, name) => total + (files[name] ?? 0), 0);
  return {
    files,
    total: sum(Object.keys(files)),
    firstLoad,
    firstLoadTotal: sum(firstLoad),
    analytics,
    analyticsTotal: sum(analytics),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { buildAssets } = await import("./build");
  await buildAssets(process.env.TANDEM_DIST ?? DIST);
  const size = dashboardSize();
  for (const [name, bytes] of Object.entries(size.files)) console.log(`${String(bytes).padStart(7)}  dashboard/${name}`);
  console.log(`${String(size.firstLoadTotal).padStart(7)}  first load: ${size.firstLoad.join(" + ")} (budget ${DASHBOARD_BUDGET})`);
  console.log(`${String(size.analyticsTotal).padStart(7)}  Analytics: ${size.analytics.join(" + ")} (budget ${ANALYTICS_BUDGET})`);
  if (size.firstLoadTotal > DASHBOARD_BUDGET || size.analyticsTotal > ANALYTICS_BUDGET) process.exitCode = 1;
}
