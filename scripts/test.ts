import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { buildAssets } from "./build";
import { ensureChromium } from "./chromium";
import { OFFLINE_ENV } from "./wrangler-dev";

// `npm test`: everything, for real. Chromium for the browser tests, a
// production build of the assets, the type-check of every runtime, then all
// tests (unit, integration on sqld + workerd, browser) in one vitest run.
const root = join(import.meta.dirname, "..");
Object.assign(process.env, OFFLINE_ENV);

function step(name: string, command: string, args: string[]) {
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error(`✖ ${name} failed`);
    process.exit(result.status ?? 1);
  }
}

try {
  ensureChromium();
} catch (error) {
  console.error(`✖ ${(error as Error).message}`);
  process.exit(1);
}
console.log("▶ build");
await buildAssets();
step("typecheck", process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b"]);
step("tests", process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), "run", ...process.argv.slice(2)]);
