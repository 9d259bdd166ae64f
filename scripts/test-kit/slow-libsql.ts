import { createServer, request } from "node:http";
import { freePort } from "../ports";

/**
 * A proxy on 127.0.0.1 in front of sqld that holds each request for
 * `delayMs` before passing it on: libSQL as slow as a tired primary, for
 * tests of what the rooms do then. `delayMs` can change while it runs.
 */
export async function startSlowLibsql(target: string, delayMs = 0) {
  const upstream = new URL(target);
  const state = { delayMs };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      setTimeout(() => {
        const forward = request(
          { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on("error", () => res.destroy());
        forward.end(Buffer.concat(chunks));
      }, state.delayMs);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
