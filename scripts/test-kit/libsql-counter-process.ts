import { spawn } from "node:child_process";
import { join } from "node:path";
import { stopChild } from "../process";
import type { CounterHandle, LibsqlCounts } from "./libsql-counter";

/**
 * The libSQL counter in a process of its own, so that the load it forwards
 * costs the benchmark's client nothing and its CPU can be measured apart.
 */
export async function startLibsqlCounterProcess(target: string): Promise<CounterHandle & { pid: number; stop: () => Promise<void> }> {
  const file = join(import.meta.dirname, "libsql-counter.ts");
  const child = spawn(process.execPath, ["--import", "tsx", file, target], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      const line = output.split("\n")[0];
      if (output.includes("\n")) resolve(line.trim());
    });
    child.once("exit", (code) => reject(new Error(`libsql counter exited (${code}) before it listened`)));
  });
  const control = async (path: string, method = "GET") => (await (await fetch(`${url}/__counter/${path}`, { method })).json()) as LibsqlCounts;
  return {
    url,
    pid: child.pid!,
    counts: () => control("counts"),
    reset: async () => void (await control("reset", "POST")),
    stop: () => stopChild(child),
  };
}
