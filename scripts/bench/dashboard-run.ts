// `npx tsx scripts/bench/dashboard-run.ts`: only the dashboard's part of `npm run bench`, on a stack of its own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAssets, DIST } from "../build";
import { startStack } from "../stack";
import { UNLIMITED } from "../test-kit/strict-worker";
import { runDashboardBench } from "./dashboard";

const dataDir = mkdtempSync(join(tmpdir(), "tandem-bench-dashboard-"));
const assetsDir = process.env.TANDEM_DIST ?? DIST;
await buildAssets(assetsDir);
const stack = await startStack({ dataDir, assetsDir, vars: { RATE_LIMITS: UNLIMITED } });
try {
  await runDashboardBench(stack);
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
