import { ConversationSync, isRefusal, parseServerFrame, type SyncOptions } from "@tandem/protocol";
import PartySocket from "partysocket";
import WebSocket from "ws";

/** `ws` with a fixed set of headers (the session cookie): partysocket constructs sockets with (url, protocols) only. */
function webSocketWith(headers: Record<string, string>) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };
}

/**
 * The real client half of the message path, in Node: ConversationSync over a
 * reconnecting partysocket, as the widget and dashboard use it. Records every
 * seq the socket delivered, across reconnects, to check "exactly once, in order".
 */
export function connectConversation(options: {
  host: string;
  conversationId: string;
  token?: string;
  cookie?: string;
  self: SyncOptions["self"];
  outbox?: SyncOptions["outbox"];
  fastReconnect?: boolean;
}) {
  const sync = new ConversationSync({ parse: parseServerFrame, self: options.self, outbox: options.outbox });
  const delivered: number[] = [];
  const closes: number[] = [];
  let opens = 0;
  const socket = new PartySocket({
    host: options.host,
    party: "conversation",
    room: options.conversationId,
    query: options.token ? { token: options.token } : {},
    WebSocket: webSocketWith(options.cookie ? { cookie: options.cookie } : {}),
    ...(options.fastReconnect ? { minReconnectionDelay: 10, maxReconnectionDelay: 150, reconnectionDelayGrowFactor: 1.5 } : {}),
    // A room that refuses us (44xx) will refuse again: stop.
    shouldReconnectOnClose: (event: CloseEvent) => !isRefusal(event.code),
  });
  socket.addEventListener("open", () => {
    opens++;
    sync.connected({ send: (text) => socket.readyState === 1 && socket.send(text) });
  });
  socket.addEventListener("message", (event: MessageEvent) => {
    const text = String(event.data);
    const frame = JSON.parse(text) as { type: string; message?: { seq: number }; messages?: { seq: number }[] };
    if (frame.type === "message" && frame.message) delivered.push(frame.message.seq);
    if (frame.type === "history" && frame.messages) delivered.push(...frame.messages.map((m) => m.seq));
    sync.receive(text);
  });
  socket.addEventListener("close", (event: CloseEvent) => {
    closes.push(event.code);
    sync.disconnected(event.code);
  });
  return {
    sync,
    socket,
    delivered,
    /** Close codes seen, in order. */
    closes,
    get opens() {
      return opens;
    },
    /** A clean close from this side, then partysocket reconnects. */
    bounce() {
      socket.reconnect(1000, "bounce");
    },
    close() {
      socket.close();
    },
  };
}
