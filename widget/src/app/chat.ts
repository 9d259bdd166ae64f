import { CloseCode, ConversationSync, type OutboxEntry, type SyncSnapshot } from "@tandem/protocol";
import PartySocket from "partysocket";
import { createApi, type WidgetApi } from "./api";
import { pageContext } from "./page-context";
import { localOutbox, read, write } from "./storage";

export type Connection = "starting" | "connecting" | "online" | "offline" | "refused" | "misconfigured";

export type ChatState = {
  siteName: string | null;
  connection: Connection;
  /** The room's view of the conversation; null before the customer first writes. */
  sync: SyncSnapshot | null;
  /** Written before a conversation exists (it is created on the first send). */
  drafts: string[];
};

const REFUSED = [CloseCode.unauthenticated, CloseCode.forbidden, CloseCode.notFound] as number[];

/**
 * The customer's side of one site's chat, without any UI: the visitor
 * session, the current conversation (created lazily on the first message),
 * and its socket wired to ConversationSync.
 */
export class Chat {
  state: ChatState = { siteName: null, connection: "starting", sync: null, drafts: [] };
  #listeners = new Set<(state: ChatState) => void>();
  #api: WidgetApi;
  #origin: string;
  #siteKey: string;
  #activeKey: string;
  #token: string | null;
  #visitorId: string | null = null;
  #conversationId: string | null = null;
  #sync: ConversationSync | null = null;
  #socket: PartySocket | null = null;
  #creating: Promise<void> | null = null;

  constructor(options: { base: string; siteKey: string; activeKey: string }) {
    this.#origin = new URL(options.base).origin;
    this.#siteKey = options.siteKey;
    this.#activeKey = options.activeKey;
    this.#token = read(`tandem:token:${options.siteKey}`);
    this.#api = createApi(this.#origin, () => this.#token);
    this.state.drafts = JSON.parse(read(this.#draftsKey) ?? "[]") as string[];
  }

  subscribe(listener: (state: ChatState) => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Signs the visitor in and rejoins the conversation they left open, if any. */
  async start(): Promise<void> {
    const response = await this.#retry(() => this.#api.session.$post({ json: { siteKey: this.#siteKey, token: this.#token ?? undefined } }));
    const session = await response.json();
    if ("error" in session) {
      console.error(`Tandem: ${session.error.message} (site key ${this.#siteKey}).`);
      return this.#set({ connection: "misconfigured" });
    }
    this.#token = session.token;
    this.#visitorId = session.visitorId;
    write(`tandem:token:${this.#siteKey}`, session.token);
    this.#set({ siteName: session.site.name });

    const list = await this.#retry(() => this.#api.conversations.$get());
    const open = list.ok ? (await list.json()).conversations.find((c) => c.status !== "closed") : undefined;
    if (open) this.#join(open.id);
    else {
      write(this.#activeKey, null);
      this.#set({ connection: "online" });
      if (this.state.drafts.length) void this.#createConversation();
    }
  }

  send(body: string): void {
    if (this.#sync) {
      this.#sync.send(body);
      return;
    }
    this.#setDrafts([...this.state.drafts, body]);
    void this.#createConversation();
  }

  typing(on: boolean): void {
    this.#sync?.typing(on);
  }

  /** The customer ends the conversation. */
  async end(): Promise<void> {
    const id = this.#conversationId;
    if (id) await this.#api.conversations[":id"].close.$post({ param: { id } });
  }

  /** After a close: the next message opens a new conversation. */
  startNew(): void {
    this.#leave();
    this.#set({ sync: null, connection: "online" });
  }

  async #createConversation(): Promise<void> {
    this.#creating ??= (async () => {
      const response = await this.#retry(() => this.#api.conversations.$post({ json: { context: pageContext() } }));
      const created = await response.json();
      if ("error" in created) {
        console.error(`Tandem: ${created.error.message}`);
        return this.#set({ connection: "refused" });
      }
      this.#join(created.conversation.id);
      for (const body of this.state.drafts) this.#sync!.send(body);
      this.#setDrafts([]);
    })().finally(() => (this.#creating = null));
    return this.#creating;
  }

  #join(id: string): void {
    this.#leave();
    this.#conversationId = id;
    write(this.#activeKey, id);
    const sync = new ConversationSync({
      self: { authorKind: "visitor", authorId: this.#visitorId, authorName: null },
      outbox: localOutbox(`tandem:outbox:${id}`),
      onChange: (snapshot) => {
        if (snapshot.conversation?.status === "closed") write(this.#activeKey, null);
        this.#set({ sync: snapshot });
      },
      // The conversation closed before these arrived: they start the next one.
      onRejected: (entries: OutboxEntry[]) => {
        queueMicrotask(() => {
          this.startNew();
          for (const entry of entries) this.send(entry.body);
        });
      },
    });
    const socket = new PartySocket({
      host: new URL(this.#origin).host,
      protocol: this.#origin.startsWith("https:") ? "wss" : "ws",
      party: "conversation",
      room: id,
      query: () => ({ token: this.#token }),
      shouldReconnectOnClose: (event: CloseEvent) => !REFUSED.includes(event.code),
    });
    socket.addEventListener("open", () => {
      sync.connected({ send: (text) => socket.readyState === WebSocket.OPEN && socket.send(text) });
      this.#set({ connection: "online" });
    });
    socket.addEventListener("message", (event: MessageEvent) => sync.receive(String(event.data)));
    socket.addEventListener("close", (event: CloseEvent) => {
      sync.disconnected(event.code);
      if (REFUSED.includes(event.code)) {
        console.error(`Tandem: the chat server refused this conversation (${event.reason || event.code}).`);
        this.#set({ connection: "refused" });
      } else this.#set({ connection: navigator.onLine ? "connecting" : "offline" });
    });
    this.#sync = sync;
    this.#socket = socket;
    this.#set({ sync: sync.snapshot(), connection: "connecting" });
  }

  #leave(): void {
    this.#socket?.close();
    this.#socket = null;
    this.#sync = null;
    this.#conversationId = null;
  }

  /** Retries a request that failed on the network (not one the server answered) with backoff. */
  async #retry<T>(request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request();
      } catch {
        this.#set({ connection: "offline" });
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** attempt)));
      }
    }
  }

  get #draftsKey() {
    return `tandem:drafts:${this.#siteKey}`;
  }

  #setDrafts(drafts: string[]) {
    write(this.#draftsKey, drafts.length ? JSON.stringify(drafts) : null);
    this.#set({ drafts });
  }

  #set(patch: Partial<ChatState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.#listeners) listener(this.state);
  }
}
