import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startStack } from "../stack";
import { startStrictWorker, UNLIMITED } from "./strict-worker";
import { TEST_ADDRESS_HEADER } from "./test-address";

declare module "vitest" {
  export interface ProvidedContext {
    stack: { url: string; libsqlUrl: string };
    /** The same database behind a Worker configured as in production (see strict-worker.ts). */
    strict: { url: string };
  }
}

/**
 * Starts the real stack once for the run: sqld on a fresh data folder, the
 * real migrations, the demo seed, and the Worker in wrangler dev (workerd).
 * Assets must be built first (`npm test` does it); TANDEM_DIST points at
 * another build, so two runs can share one checkout.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), "tandem-test-"));
  let log = "";
  const stack = await startStack({
    dataDir,
    seed: true,
    assetsDir: process.env.TANDEM_DIST,
    // Tests act as different client addresses with this header.
    // The embedder's retries start at 50 ms instead of 5 s, so its failures end within a test.
    vars: { ADDRESS_HEADER: TEST_ADDRESS_HEADER, RATE_LIMITS: UNLIMITED, EMBEDDING_RETRY_MS: "50" },
    log: (line) => (log = (log + line).slice(-1_000_000)),
  }).catch((error) => {
    console.error(log);
    throw error;
  });
  const strict = await startStrictWorker({ libsqlUrl: stack.libsqlUrl, dataDir, assetsDir: process.env.TANDEM_DIST, log: (line) => (log = (log + line).slice(-1_000_000)) }).catch(
    async (error) => {
      console.error(log);
      await stack.stop();
      throw error;
    },
  );
  project.provide("stack", { url: stack.url, libsqlUrl: stack.libsqlUrl });
  project.provide("strict", { url: strict.url });
  return async () => {
    await strict.stop();
    await stack.stop();
    if (process.env.TANDEM_TEST_LOG) console.log(log);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
