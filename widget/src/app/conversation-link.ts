import { ConversationSync, isRefusal, readServerFrame, type ClientFrame, type Message, type OutboxEntry, type OutboxStore, type SyncSnapshot } from "@tandem/protocol";
import ReconnectingWebSocket from "partysocket/ws";
import type { Visit } from "./chat";
import { visited } from "./page-context";

export { conversationBody } from "./page-context";

/** The state of the socket to one conversation's room. */
export type Link = "connecting" | "online" | "offline" | "refused";

export type LinkOptions = {
  /** Where Tandem lives, e.g. https://chat.example.com. */
  origin: string;
  conversationId: string;
  token: string;
  visitorId: string;
  /** Where unacknowledged messages wait (localStorage), so a reload sends them too. */
  outbox: OutboxStore;
  /** The navigation trail; its newest page is sent on every connect and on request. */
  trail: () => Visit[];
  onChange: (snapshot: SyncSnapshot, link: Link) => void;
  /** The conversation was closed before these messages reached it; this link is closed now too. */
  onRejected: (entries: OutboxEntry[]) => void;
};

/**
 * Opens a conversation's room and wires the socket to ConversationSync, which
 * does the rest: resume, outbox, resend, dedupe. The outbox lives in
 * localStorage, so what was typed offline is sent after a reload too. This
 * module is a chunk of its own: the panel opens without it, and it comes when
 * there is a conversation or the customer starts to write.
 */
export function openConversation(options: LinkOptions) {
  let link: Link = "connecting";
  // Once closed, the socket's last events must not paint over the next conversation.
  let closed = false;
  const { outbox } = options;
  const sync = new ConversationSync({
    parse: readServerFrame,
    self: { authorKind: "visitor", authorId: options.visitorId, authorName: null },
    outbox,
    onChange: (snapshot) => closed || options.onChange(snapshot, link),
    onRejected(entries) {
      // A closed conversation stays closed: what is still unsent would be refused too, so it all leaves together.
      const rest = sync.snapshot().pending;
      outbox.save([]);
      close();
      options.onRejected([...entries, ...rest]);
    },
  });
  const emit = () => closed || options.onChange(sync.snapshot(), link);
  const { host, protocol } = new URL(options.origin);
  const url = `${protocol === "https:" ? "wss" : "ws"}://${host}/parties/conversation/${encodeURIComponent(options.conversationId)}?token=${encodeURIComponent(options.token)}`;
  const socket = new ReconnectingWebSocket(url);
  const frame = (value: ClientFrame) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(value));
  const page = () => {
    const { url, title } = visited(options.trail().at(-1) ?? { url: location.href, title: document.title, at: 0 });
    frame({ type: "page", url, title });
  };

  socket.addEventListener("open", () => {
    link = "online";
    sync.connected({ send: (text) => socket.readyState === WebSocket.OPEN && socket.send(text) });
    page();
    emit();
  });
  socket.addEventListener("message", (event) => sync.receive(event.data));
  socket.addEventListener("close", (event) => {
    if (isRefusal(event.code)) {
      // The room said no for good (bad token, not this visitor's, gone, origin not allowed): retrying cannot help.
      socket.close();
      link = "refused";
      console.error(`Tandem: the chat server refused this conversation (${event.code} ${event.reason}).`);
    } else link = navigator.onLine ? "connecting" : "offline";
    sync.disconnected(event.code);
  });

  // A socket can look open long after the network went away: drop it at once,
  // and come back without waiting out the backoff when the network returns.
  const reconnect = () => link !== "refused" && socket.reconnect();
  addEventListener("offline", reconnect);
  addEventListener("online", reconnect);
  emit();

  function close() {
    closed = true;
    removeEventListener("offline", reconnect);
    removeEventListener("online", reconnect);
    socket.close();
  }

  return {
    send: (body: string) => void sync.send(body),
    typing: (typing: boolean) => sync.typing(typing),
    read: (seq: number) => sync.read(seq),
    escalate: () => frame({ type: "escalate" }),
    /** A message the room refused for good leaves the list; its text comes back (to edit it). */
    discard: (clientMsgId: string) => sync.discard(clientMsgId)?.body,
    /** Older messages read over HTTP, and whether still older ones remain. */
    addOlder: (messages: Message[], more: boolean) => sync.addMessages(messages, more),
    page,
    close,
  };
}

export type ConversationLink = ReturnType<typeof openConversation>;
