import { execFileSync } from "node:child_process";

/**
 * The Worker's own address inside `wrangler dev`, past wrangler's proxy.
 * The proxy is a second workerd that forwards every request and WebSocket
 * frame (about six file descriptors per WebSocket), and its inspector
 * relay posts each of the Worker's inspector events, one per libSQL fetch
 * among them, to wrangler's Node process over a new connection. Under 800
 * customers it ran out of its 20,000 file descriptors and the local stack
 * stopped answering, while the Worker and sqld were well. Production has
 * no such proxy. Found as the port of a workerd other than the proxy that
 * answers our API's JSON 404.
 */
export async function directWorkerUrl(proxyUrl: string): Promise<string> {
  const proxyPort = new URL(proxyUrl).port;
  const listening = execFileSync("ss", ["-ltnpH"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes('"workerd"'))
    .map((line) => line.split(/\s+/)[3]?.split(":").at(-1))
    .filter((port): port is string => !!port && port !== proxyPort);
  for (const port of listening) {
    const url = `http://127.0.0.1:${port}`;
    const answer = await fetch(`${url}/api/health`).catch(() => null);
    if (answer?.status === 404 && answer.headers.get("content-type")?.includes("application/json")) return url;
  }
  throw new Error("the Worker's own port was not found behind wrangler dev");
}
