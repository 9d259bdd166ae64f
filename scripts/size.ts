import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { DIST } from "./build";

/** The widget's budgets, in bytes of gzip (level 9), file by file (issue 3). */
export const BUDGET = { loader: 1024, total: 20_480, firstOpen: 14_336 } as const;

export type WidgetSize = {
  /** Every JS and CSS file under widget/, by name. */
  files: Record<string, number>;
  loader: number;
  total: number;
  /** What the first open of the panel fetches: the loader, app.js and the chunks app.js imports statically. */
  firstOpen: number;
};

const gzip = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;

/** The chunks a file imports before it runs (`import … from "./x.js"`), not the ones it may import later. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/import\s*(?:[\w${},\s*]+from\s*)?["']\.\/([\w.-]+\.js)["']/g)].map((m) => m[1]!);
}

export function widgetSize(dist = process.env.TANDEM_DIST ?? DIST): WidgetSize {
  const dir = join(dist, "widget");
  const files: Record<string, number> = {};
  for (const name of readdirSync(dir).sort()) if (/\.(js|css)$/.test(name)) files[name] = gzip(join(dir, name));

  const firstOpen = new Set(["loader.js", "app.js"]);
  for (const name of firstOpen) {
    for (const next of staticImports(readFileSync(join(dir, name), "utf8"))) firstOpen.add(next);
  }
  const sum = (names: Iterable<string>) => [...names].reduce((total, name) => total + (files[name] ?? 0), 0);
  return { files, loader: files["loader.js"] ?? 0, total: sum(Object.keys(files)), firstOpen: sum(firstOpen) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { buildAssets } = await import("./build");
  await buildAssets(process.env.TANDEM_DIST ?? DIST);
  const size = widgetSize();
  for (const [name, bytes] of Object.entries(size.files)) console.log(`${String(bytes).padStart(7)}  widget/${name}`);
  console.log(`${String(size.loader).padStart(7)}  loader (budget ${BUDGET.loader})`);
  console.log(`${String(size.firstOpen).padStart(7)}  first open of the panel: loader + app.js + its static chunks (under ${BUDGET.firstOpen})`);
  console.log(`${String(size.total).padStart(7)}  all widget JS and CSS (budget ${BUDGET.total})`);
  if (size.loader > BUDGET.loader || size.total > BUDGET.total || size.firstOpen >= BUDGET.firstOpen) process.exitCode = 1;
}
