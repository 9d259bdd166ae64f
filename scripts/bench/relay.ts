import { WebSocketServer, WebSocket } from "ws";
import { freePort } from "../ports";

/**
 * The floor: a bare WebSocket relay on Node that forwards each frame to the
 * other clients and stores nothing. What Tandem adds on top of it is the
 * Worker, the room, validation and the libSQL commit.
 */
export async function startBareRelay() {
  const port = await freePort();
  const server = new WebSocketServer({ host: "127.0.0.1", port });
  server.on("connection", (socket) => {
    socket.on("message", (data, isBinary) => {
      for (const client of server.clients) {
        if (client !== socket && client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
      }
    });
  });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return {
    url: `ws://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
