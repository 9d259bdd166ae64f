import { routePartykitRequest } from "partyserver";
import { app } from "./app";
import { authorizeRoomConnection } from "./auth/room-access";
import type { Env } from "./env";

export { Conversation } from "../../party/src/conversation";
export { Inbox } from "../../party/src/inbox";
export { Limiter } from "./limits/limiter";
export { Embedder } from "./embeddings/embedder";
export type { AppType } from "./app";

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname.startsWith("/parties/")) {
      const response = await routePartykitRequest(request, env, {
        onBeforeConnect: (req, lobby) => authorizeRoomConnection(req, lobby, env),
        // Rooms speak WebSocket only; everything else goes through the API.
        onBeforeRequest: () => Response.json({ error: { code: "upgrade_required", message: "rooms take WebSocket connections only" } }, { status: 426 }),
      });
      return response ?? Response.json({ error: { code: "not_found", message: "no such room" } }, { status: 404 });
    }
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
