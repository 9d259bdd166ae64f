import { build, type BuildOptions, type Plugin } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { minify } from "terser";
import { DASHBOARD_HEADERS } from "../worker/src/http/security-headers";

const ROOT = join(import.meta.dirname, "..");
export const DIST = join(ROOT, "dist");

const common: BuildOptions = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: "es2022",
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  // Module scripts are always read as UTF-8; escaping Cyrillic as \uXXXX would cost bytes.
  charset: "utf8",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
};

/**
 * The widget's JSX compiles to Preact's classic `h(type, props, ...children)`:
 * the same vnodes as the automatic runtime's `jsx(type, {...props, children})`,
 * in fewer bytes per element. The pragma goes on the first line, so line
 * numbers in errors stay right; type-checking still uses tsconfig's settings.
 */
const classicJsx: Plugin = {
  name: "classic-jsx",
  setup(build) {
    build.onLoad({ filter: /\.tsx$/ }, async ({ path }) => ({
      contents: `/** @jsxRuntime classic @jsx h @jsxFrag Fragment */ import { h, Fragment } from "preact"; ${await readFile(path, "utf8")}`,
      loader: "tsx",
    }));
  },
};

/**
 * partysocket's warnings for a runtime without EventTarget or WebSocket, and
 * for send() after close(), are paragraphs of advice to Node and React Native
 * developers. In a browser that runs the widget the first two cannot happen,
 * and the widget sends only on an open socket; they stay, a line each, and
 * the widget is ~440 B (gzip) smaller. A partysocket that words them
 * otherwise fails the build here, so the change is seen.
 */
const shortPartysocketWarnings: Plugin = {
  name: "short-partysocket-warnings",
  setup(build) {
    build.onLoad({ filter: /[\\/]partysocket[\\/]dist[\\/]ws\.js$/ }, async ({ path }) => {
      let code = await readFile(path, "utf8");
      const warnings: [RegExp, string][] = [
        [/`\s*PartySocket requires a global 'EventTarget'(?:\\[^]|[^\\`])*`/, '"PartySocket requires a global EventTarget"'],
        [/`‼️ No WebSocket implementation available\.(?:\\[^]|[^\\`])*`/, '"PartySocket: no WebSocket implementation available"'],
        [/"ReconnectingWebSocket: send\(\) was called after close\(\)\.[^"]*"/, '"ReconnectingWebSocket: send() was called after close()"'],
      ];
      for (const [long, short] of warnings) {
        if (!long.test(code)) throw new Error(`${path}: no ${long}`);
        code = code.replace(long, short);
      }
      return { contents: code, loader: "js" };
    });
  },
};

/**
 * Writes the static assets the Worker serves: the demo host page at /, the
 * widget under /widget (loader.js is what the script tag loads) and the
 * dashboard under /dashboard.
 */
export async function buildAssets(outDir = DIST): Promise<void> {
  const DIST = outDir;
  // Empty it rather than remove it: a running `wrangler dev` watches this folder.
  mkdirSync(DIST, { recursive: true });
  for (const entry of readdirSync(DIST)) rmSync(join(DIST, entry), { recursive: true, force: true });
  mkdirSync(join(DIST, "widget"), { recursive: true });
  mkdirSync(join(DIST, "dashboard"), { recursive: true });

  await Promise.all([
    // The loader is a classic script: it must run from a plain async <script> on any page.
    build({ ...common, entryPoints: [join(ROOT, "widget/src/loader.ts")], outfile: join(DIST, "widget/loader.js"), format: "iife" }),
    // The chat app is split: app.js is what opening the panel needs, and each later step
    // (the conversation's socket, a language, the pre-chat form, the rating) is a chunk
    // fetched when it is reached.
    build({
      ...common,
      plugins: [classicJsx, shortPartysocketWarnings],
      entryPoints: { app: join(ROOT, "widget/src/app/main.tsx") },
      outdir: join(DIST, "widget"),
      format: "esm",
      splitting: true,
      chunkNames: "[name]-[hash]",
    }),
    // The dashboard is split too: app.js (and what it imports statically) is the first load;
    // the Analytics section (issue 16) is a chunk fetched when its route is opened. Its
    // stylesheet is an entry of its own, which that chunk links: esbuild would put CSS the
    // chunk imports into app.css as well, so the first load would carry it.
    build({
      ...common,
      entryPoints: { app: join(ROOT, "dashboard/src/main.tsx"), analytics: join(ROOT, "dashboard/src/analytics/analytics.css") },
      outdir: join(DIST, "dashboard"),
      format: "esm",
      splitting: true,
      chunkNames: "[name]-[hash]",
      loader: { ".css": "css" },
    }),
  ]);

  await squeezeWidget(join(DIST, "widget"));

  copyFileSync(join(ROOT, "dashboard/index.html"), join(DIST, "dashboard/index.html"));
  copyFileSync(join(ROOT, "widget/demo/index.html"), join(DIST, "index.html"));
  writeFileSync(join(DIST, "_headers"), assetHeaders());
}

/**
 * The `_headers` file of the static assets. The widget is loaded from
 * customers' sites (module scripts need CORS) and must stay embeddable; the
 * dashboard gets its strict policy (worker/src/http/security-headers.ts).
 */
function assetHeaders(): string {
  const block = (path: string, headers: Record<string, string>) =>
    `${path}\n${Object.entries(headers)
      .map(([name, value]) => `  ${name}: ${value}\n`)
      .join("")}`;
  return block("/widget/*", { "Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff" }) + block("/dashboard/*", DASHBOARD_HEADERS);
}

/**
 * A second pass over the widget's files with terser, whose compressor takes
 * off a few percent more than esbuild's minifier: every customer's browser
 * downloads these, within a 20 KB budget. Exports and chunk names stay.
 *
 * Properties that start with `_` are internal to the one file they are in
 * (Preact's vnode and component fields, partysocket's socket state; ours and
 * the wire's never do), so they get short names; `__html` is Preact's API.
 * partysocket's `_debug` logs only with its `debug` option, which the widget
 * never sets: its calls go. Hoisting `var`s into one declaration pays in
 * app.js (Preact's functions declare many) and costs in the other files
 * (measured: -59 B and +36 B of gzip).
 */
async function squeezeWidget(dir: string) {
  for (const name of readdirSync(dir).filter((file) => file.endsWith(".js"))) {
    const path = join(dir, name);
    const { code } = await minify(readFileSync(path, "utf8"), {
      module: name !== "loader.js",
      ecma: 2020,
      compress: { passes: 2, hoist_vars: name === "app.js", pure_funcs: ["this._debug"] },
      mangle: { properties: { regex: /^_/, reserved: ["__html", "__proto__"] } },
      format: { comments: false, ascii_only: false },
    });
    writeFileSync(path, code!);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const outDir = process.env.TANDEM_DIST ?? DIST;
  await buildAssets(outDir);
  console.log(`built ${outDir}`);
}
