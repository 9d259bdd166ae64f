import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/** A child process whose stdout and stderr are kept (and passed to `log`), to explain a failed start. */
export function spawnLogged(command: string, args: string[], options: SpawnOptions & { log?: (line: string) => void }) {
  const { log, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk;
    log?.(chunk.toString());
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  return { child, output: () => output, alive: () => child.exitCode === null && child.signalCode === null };
}

/** SIGTERM, then SIGKILL after five seconds; resolves once the child is gone. */
export function stopChild(child: ChildProcess): Promise<void> {
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
