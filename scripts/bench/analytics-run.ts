// `npm run bench:analytics`: only the analytics part of `npm run bench`, on a stack of its own
// (BENCH_ANALYTICS_CONVERSATIONS, BENCH_ANALYTICS_ROUNDS, BENCH_ANALYTICS_BROWSER_ROUNDS;
// BENCH_ANALYTICS_HEAP=1 reads the Worker's JS heap during the CSV export, BENCH_ANALYTICS_EXPLAIN=1
// prints each view's slowest SQL). wrangler dev restarts the Worker when a source file changes:
// in a tree others edit, bench a snapshot (git archive HEAD | tar -x -C /tmp/tree, node_modules linked).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAssets, DIST } from "../build";
import { startStack } from "../stack";
import { UNLIMITED } from "../test-kit/strict-worker";
import { runAnalyticsBench } from "./analytics";

const dataDir = mkdtempSync(join(tmpdir(), "tandem-bench-analytics-"));
const assetsDir = process.env.TANDEM_DIST ?? DIST;
await buildAssets(assetsDir);
const stack = await startStack({ dataDir, assetsDir, vars: { RATE_LIMITS: UNLIMITED } });
try {
  await runAnalyticsBench(stack);
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
