import { build, type BuildOptions } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = join(import.meta.dirname, "..");
export const DIST = join(ROOT, "dist");

const common: BuildOptions = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: "es2020",
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
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
    build({ ...common, entryPoints: [join(ROOT, "widget/src/app/main.tsx")], outfile: join(DIST, "widget/app.js"), format: "esm" }),
    build({
      ...common,
      entryPoints: [join(ROOT, "dashboard/src/main.tsx")],
      outfile: join(DIST, "dashboard/app.js"),
      format: "esm",
      loader: { ".css": "css" },
    }),
  ]);

  copyFileSync(join(ROOT, "dashboard/index.html"), join(DIST, "dashboard/index.html"));
  copyFileSync(join(ROOT, "widget/demo/index.html"), join(DIST, "index.html"));
  // The widget is loaded from customers' sites; module scripts need CORS.
  writeFileSync(join(DIST, "_headers"), "/widget/*\n  Access-Control-Allow-Origin: *\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const outDir = process.env.TANDEM_DIST ?? DIST;
  await buildAssets(outDir);
  console.log(`built ${outDir}`);
}
