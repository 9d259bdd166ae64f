import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { signVisitorToken } from "../../worker/src/auth/visitor-token";
import { startWranglerDev } from "../wrangler-dev";
import { stack } from "./clients";

const SECRET = "known-test-secret";
const ADDRESS_HEADER = "x-test-address";

/**
 * The real Worker on the run's sqld, with a TANDEM_SECRET the test knows, so
 * it can sign visitor tokens as they were signed days ago: expiry is tested
 * without waiting for it. Its rooms are its own (another persist folder).
 */
export async function startKnownSecretWorker() {
  const persistTo = mkdtempSync(join(tmpdir(), "tandem-known-secret-"));
  const dev = await startWranglerDev({
    vars: { LIBSQL_URL: stack().libsqlUrl, TANDEM_SECRET: SECRET, TANDEM_ENV: "development", ADDRESS_HEADER },
    persistTo,
    assetsDir: process.env.TANDEM_DIST,
  });
  let address = 0;
  return {
    url: dev.url,
    /** A visitor token signed at `signedAt`, as this Worker would have signed it then. */
    tokenSignedAt: (visitor: { id: string; workspaceId: string; siteId: string; contactId: string }, signedAt: number) =>
      signVisitorToken(SECRET, visitor, signedAt),
    /** A request to this Worker, each from an address of its own (rate limits are not under test here). */
    request(path: string, init: RequestInit & { token?: string } = {}) {
      const headers = new Headers(init.headers);
      if (init.token) headers.set("authorization", `Bearer ${init.token}`);
      if (init.body) headers.set("content-type", "application/json");
      headers.set(ADDRESS_HEADER, `198.51.100.${(address++ % 250) + 1}`);
      return fetch(`${dev.url}${path}`, { ...init, headers });
    },
    /** Opens a room on this Worker and resumes: `answer` is its conversation state or its error, `closed` the close code. */
    openRoom(conversationId: string, token: string) {
      const ws = new WebSocket(`${dev.url.replace(/^http/, "ws")}/parties/conversation/${conversationId}?token=${encodeURIComponent(token)}`);
      const frames: { type: string; code?: string }[] = [];
      ws.on("message", (data) => frames.push(JSON.parse(data.toString())));
      ws.once("open", () => ws.send(JSON.stringify({ type: "resume", after: 0 })));
      const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
      const answer = new Promise<{ type: string; code?: string }>((resolve, reject) => {
        ws.on("message", () => {
          const found = frames.find((f) => f.type === "conversation" || f.type === "error");
          if (found) resolve(found);
        });
        ws.once("error", reject);
      });
      return { ws, frames, closed, answer };
    },
    async stop() {
      await dev.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}
