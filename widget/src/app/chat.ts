import type { SyncSnapshot } from "@tandem/protocol";
import { createApi } from "./api";
import { openConversation, type ConversationLink, type Link } from "./conversation-link";
import { pageContext } from "./page-context";
import { read, write } from "./storage";

/** Signing in, ready for a first message, the conversation's link, or a dead end. */
export type Connection = "starting" | "ready" | Link | "misconfigured";

export type ChatState = {
  siteName: string | null;
  connection: Connection;
  /** The conversation as the room has it; null until there is one. */
  sync: SyncSnapshot | null;
  /** Written before there was a conversation: the first send creates it. */
  drafts: string[];
};

export type ChatOptions = {
  /** Where the loader came from; the API is on its origin. */
  base: string;
  siteKey: string;
  /** localStorage key that tells the loader a conversation is open. */
  activeKey: string;
};

/**
 * The customer's side of one site's chat, without any UI: the visitor
 * session, the current conversation (created by the first message, not
 * before), and its link to the room.
 */
export function createChat({ base, siteKey, activeKey }: ChatOptions) {
  const origin = new URL(base).origin;
  const tokenKey = `tandem:token:${siteKey}`;
  const draftsKey = `tandem:drafts:${siteKey}`;
  const listeners = new Set<(state: ChatState) => void>();
  let token = read(tokenKey);
  const api = createApi(origin, () => token);
  let visitorId = "";
  let conversationId: string | null = null;
  let link: ConversationLink | null = null;
  let creating: Promise<void> | null = null;
  let state: ChatState = { siteName: null, connection: "starting", sync: null, drafts: readDrafts() };

  function set(patch: Partial<ChatState>) {
    state = { ...state, ...patch };
    for (const listener of listeners) listener(state);
  }

  function readDrafts(): string[] {
    try {
      const drafts: unknown = JSON.parse(read(draftsKey) ?? "[]");
      return Array.isArray(drafts) ? drafts.filter((d) => typeof d === "string") : [];
    } catch {
      return [];
    }
  }

  function setDrafts(drafts: string[]) {
    write(draftsKey, drafts.length ? JSON.stringify(drafts) : null);
    set({ drafts });
  }

  /** Repeats a call that got no answer at all, backing off; any answer, even an error, ends it. */
  async function retry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch {
        set({ connection: "offline" });
        await new Promise((resolve) => {
          setTimeout(resolve, Math.min(30_000, 1000 * 2 ** attempt));
          addEventListener("online", resolve, { once: true });
        });
      }
    }
  }

  async function start() {
    const session = await retry(() => api.session(siteKey));
    if ("error" in session) {
      console.error(`Tandem: ${session.error.message} (site key "${siteKey}").`);
      return set({ connection: "misconfigured" });
    }
    token = session.token;
    visitorId = session.visitorId;
    write(tokenKey, token);
    set({ siteName: session.site.name });

    const list = await retry(api.conversations);
    const open = "error" in list ? undefined : list.conversations.find((c) => c.status !== "closed");
    if (open) return join(open.id);
    write(activeKey, null);
    set({ connection: "ready" });
    if (state.drafts.length) createConversation();
  }

  function createConversation() {
    creating ??= (async () => {
      await started;
      if (!visitorId) return;
      const created = await retry(() => api.createConversation(pageContext()));
      if ("error" in created) {
        console.error(`Tandem: could not start a conversation: ${created.error.message}.`);
        return set({ connection: "refused" });
      }
      join(created.conversation.id);
    })().finally(() => (creating = null));
  }

  function join(id: string) {
    leave();
    conversationId = id;
    write(activeKey, id);
    link = openConversation({
      origin,
      conversationId: id,
      token: token!,
      visitorId,
      onChange(sync, connection) {
        if (sync.conversation?.status === "closed") write(activeKey, null);
        set({ sync, connection });
      },
      // The conversation was closed under these messages: they open the next one.
      onRejected(entries) {
        startNew();
        send(...entries.map((entry) => entry.body));
      },
    });
    // What was written before there was a conversation goes into this one.
    if (state.drafts.length) {
      for (const body of state.drafts) link.send(body);
      setDrafts([]);
    }
  }

  function leave() {
    link?.close();
    link = null;
    conversationId = null;
  }

  function send(...bodies: string[]) {
    if (link) for (const body of bodies) link.send(body);
    else {
      setDrafts([...state.drafts, ...bodies]);
      createConversation();
    }
  }

  /** After a close: the next message opens a new conversation. */
  function startNew() {
    leave();
    write(activeKey, null);
    set({ sync: null, connection: "ready" });
  }

  const started = start();

  return {
    get state() {
      return state;
    },
    subscribe(listener: (state: ChatState) => void) {
      listeners.add(listener);
    },
    send: (body: string) => send(body),
    typing: (typing: boolean) => link?.typing(typing),
    /** The customer ends the conversation; the room tells everyone, this widget included. */
    end() {
      if (conversationId) api.closeConversation(conversationId).catch(() => set({ connection: "offline" }));
    },
    startNew,
  };
}

export type Chat = ReturnType<typeof createChat>;
