// Checked with the Worker (worker/tsconfig.json, Workers types), not with the Node scripts.
import type { BotMessage } from "@tandem/protocol";
import type { Env } from "../../worker/src/env";
import worker from "../../worker/src/index";
import { conversationRoom } from "../../worker/src/rooms";

export { Conversation } from "../../party/src/conversation";
export { Inbox } from "../../party/src/inbox";
export { Limiter } from "../../worker/src/limits/limiter";
export { Embedder } from "../../worker/src/embeddings/embedder";

/**
 * For tests only, never deployed: the real Worker plus one route that calls
 * the Conversation room's `postBot` RPC, as the bot will from inside the
 * Worker. Tests cannot reach Durable Object RPC from outside otherwise.
 */
export default {
  async fetch(request, env, ctx) {
    if (request.method === "POST" && new URL(request.url).pathname === "/test/bot-message") {
      const { conversationId, workspaceId, message } = (await request.json()) as {
        conversationId: string;
        workspaceId: string;
        message: BotMessage;
      };
      return Response.json(await conversationRoom(env, conversationId).postBot(workspaceId, message));
    }
    return worker.fetch!(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
