import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/** A child process whose stdout and stderr are kept (their last 256 KB; all of it passed to `log`), to explain a failed start. */
export function spawnLogged(command: string, args: string[], options: SpawnOptions & { log?: (line: string) => void }) {
  const { log, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ["ignore", "pipe", "pipe"] });
  // The tail only: a long run (wrangler logs every request) would outgrow a string.
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk).slice(-256 * 1024);
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
