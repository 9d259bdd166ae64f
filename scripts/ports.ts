import { createServer } from "node:net";

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Polls `url` until `ready(response)` holds, the child dies, or `timeoutMs` passes. */
export async function waitFor(
  url: string,
  ready: (response: Response) => boolean,
  options: { timeoutMs: number; alive: () => boolean; name: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (!options.alive()) throw new Error(`${options.name} exited before it was ready`);
    try {
      if (ready(await fetch(url, { signal: AbortSignal.timeout(2000) }))) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${options.name} was not ready at ${url} after ${options.timeoutMs} ms`);
}
