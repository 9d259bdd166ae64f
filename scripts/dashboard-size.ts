import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { DIST } from "./build";

/** The dashboard's own JS and CSS together, in bytes of gzip (level 9) (D13). */
export const DASHBOARD_BUDGET = 60 * 1024;

export type DashboardSize = { files: Record<string, number>; total: number };

/** Every JS and CSS file of the built dashboard (chunks included), gzipped one by one and summed. */
export function dashboardSize(dist = process.env.TANDEM_DIST ?? DIST): DashboardSize {
  const dir = join(dist, "dashboard");
  const files: Record<string, number> = {};
  for (const name of readdirSync(dir, { recursive: true }).map(String).sort()) {
    if (/\.(js|css)$/.test(name)) files[name] = gzipSync(readFileSync(join(dir, name)), { level: 9 }).length;
  }
  return { files, total: Object.values(files).reduce((a, b) => a + b, 0) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { buildAssets } = await import("./build");
  await buildAssets(process.env.TANDEM_DIST ?? DIST);
  const size = dashboardSize();
  for (const [name, bytes] of Object.entries(size.files)) console.log(`${String(bytes).padStart(7)}  dashboard/${name}`);
  console.log(`${String(size.total).padStart(7)}  all dashboard JS and CSS (budget ${DASHBOARD_BUDGET})`);
  if (size.total > DASHBOARD_BUDGET) process.exitCode = 1;
}
