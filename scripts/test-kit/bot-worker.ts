import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWranglerDev } from "../wrangler-dev";
import { stack } from "./clients";

/**
 * The real Worker wrapped with one test-only route that calls a Conversation
 * room's `postBot` RPC (scripts/test-kit/bot-test-worker.ts), on the run's sqld and
 * serving the built assets: the bot speaks through it until the bot exists.
 */
export async function startBotWorker() {
  const persistTo = mkdtempSync(join(tmpdir(), "tandem-bot-"));
  const dev = await startWranglerDev({
    script: "scripts/test-kit/bot-test-worker.ts",
    vars: { LIBSQL_URL: stack().libsqlUrl, TANDEM_SECRET: "bot-test-secret" },
    persistTo,
    assetsDir: process.env.TANDEM_DIST,
  });
  return {
    url: dev.url,
    /** Posts a bot message (with quick replies) into a conversation, as the bot will. */
    postBot(workspaceId: string, conversationId: string, message: unknown) {
      return fetch(`${dev.url}/test/bot-message`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ conversationId, workspaceId, message }),
      }).then((r) => r.json() as Promise<Record<string, any>>);
    },
    async stop() {
      await dev.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}
