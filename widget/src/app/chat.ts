import type { ApiError, SyncSnapshot } from "@tandem/protocol";
import { createApi, type Contact, type ContactChange, type Identity, type Rating, type Site } from "./api";
import type { ConversationLink, Link } from "./conversation-link";
import { localOutbox, read, readList, write, writeList } from "./storage";

/** Signing in, ready for a first message, the conversation's link, or a dead end. */
export type Connection = "starting" | "ready" | Link | "misconfigured";

/** One page of the navigation trail the loader records. */
export type Visit = { url: string; title: string; at: number };

export type ChatState = {
  site: Site | null;
  contact: Contact | null;
  connection: Connection;
  /** The conversation as the room has it; null until there is one. */
  sync: SyncSnapshot | null;
  /** Written before there was a conversation: the first send creates it. */
  drafts: string[];
  /** The closed conversation was rated. */
  rated: boolean;
  /** The pre-chat form was answered for the next conversation. */
  asked: boolean;
  /** The server asked to wait before the next try (too many at once); what was written goes then. */
  held: boolean;
};

export type ChatOptions = {
  /** Where the loader came from; the API is on its origin. */
  base: string;
  siteKey: string;
  /** localStorage key that tells the loader a conversation is open. */
  activeKey: string;
  trail: () => Visit[];
};

const loadLink = () => import("./conversation-link");

/**
 * The customer's side of one site's chat, without any UI: the visitor
 * session, the current conversation (created by the first message, not
 * before), and its link to the room.
 */
export function createChat({ base, siteKey, activeKey, trail }: ChatOptions) {
  const origin = new URL(base).origin;
  const tokenKey = `tandem:token:${siteKey}`;
  const draftsKey = `tandem:drafts:${siteKey}`;
  const listeners = new Set<(state: ChatState) => void>();
  let token = read(tokenKey);
  const api = createApi(origin, () => token, (held) => set({ held }));
  let visitorId = "";
  let conversationId: string | null = null;
  let link: ConversationLink | null = null;
  let creating: Promise<void> | null = null;
  // Host-set context; the conversation's chunk makes short strings of it.
  let custom: Record<string, unknown> = {};
  let topic: string | undefined;
  const drafts = readList(draftsKey).filter((draft) => typeof draft === "string");
  let state: ChatState = { site: null, contact: null, connection: "starting", sync: null, drafts, rated: false, asked: false, held: false };

  function set(patch: Partial<ChatState>) {
    state = { ...state, ...patch };
    for (const listener of listeners) listener(state);
  }

  function setDrafts(drafts: string[]) {
    writeList(draftsKey, drafts);
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

  /** An answer the API refused: said in the console for the site's developer, with the server's words. */
  function refused(answer: object, what: string): answer is ApiError {
    if (!("error" in answer)) return false;
    console.error(`Tandem: ${what}: ${(answer as ApiError).error.message}`);
    return true;
  }

  // Counts logouts: a session that was on its way when one came belongs to the visitor signed out.
  let epoch = 0;

  async function start() {
    const mine = epoch;
    const session = await retry(() => api.session(siteKey));
    if (mine !== epoch) return;
    if (refused(session, `site key "${siteKey}"`)) return set({ connection: "misconfigured" });
    set({ site: session.site, contact: session.contact });
    await resume(session);
  }

  /** This browser is now this visitor: it goes on with their open conversation, if any. */
  async function resume(visitor: { token: string; visitorId: string }) {
    token = visitor.token;
    visitorId = visitor.visitorId;
    write(tokenKey, token);
    const list = await retry(api.conversations);
    const latest = "error" in list ? undefined : list.conversations[0];
    if (latest && latest.status !== "closed") return join(latest.id);
    write(activeKey, null);
    set({ connection: "ready" });
    if (state.drafts.length) createConversation();
  }

  function createConversation() {
    creating ??= (async () => {
      await started;
      // The session may have found an open conversation, which took the drafts.
      if (!visitorId || conversationId || !state.drafts.length) return;
      const { conversationBody } = await loadLink();
      let again = false;
      const created = await retry(async () => {
        // An attempt whose answer was lost may have created it: look before making another.
        const list = again ? await api.conversations() : null;
        const open = list && !("error" in list) && list.conversations.find((c) => c.status !== "closed");
        again = true;
        return open ? { conversation: open } : api.createConversation(conversationBody(custom, topic, trail()));
      });
      if (refused(created, "could not start a conversation")) return set({ connection: "refused" });
      await join(created.conversation.id);
    })().finally(() => (creating = null));
  }

  async function join(id: string) {
    leave();
    conversationId = id;
    write(activeKey, id);
    const { openConversation } = await loadLink();
    if (conversationId !== id) return;
    link = openConversation({
      origin,
      conversationId: id,
      token: token!,
      visitorId,
      outbox: localOutbox(`tandem:outbox:${id}`),
      trail,
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
      if (!conversationId) createConversation();
    }
  }

  /** After a close: the next message opens a new conversation. */
  function startNew() {
    leave();
    write(activeKey, null);
    topic = undefined;
    set({ sync: null, connection: "ready", rated: false, asked: false });
  }

  let started = start();
  /** A call that needs the visitor's session, repeated until it gets an answer. */
  const call = async <T>(request: () => Promise<T>) => (await started, retry(request));

  return {
    get state() {
      return state;
    },
    subscribe(listener: (state: ChatState) => void) {
      listeners.add(listener);
    },
    send: (body: string) => send(body),
    /** Takes a message the server refused for good out of the list; its text comes back (to edit it). */
    discard: (clientMsgId: string) => link?.discard(clientMsgId),
    /** The page of messages before the first one shown (a resume sends only the newest). */
    async older() {
      const id = conversationId;
      const first = state.sync?.messages[0];
      const page = id && first && (await call(() => api.messages(id, first.seq)));
      if (page && !("error" in page) && id === conversationId) link?.addOlder(page.messages, page.more);
    },
    typing: (typing: boolean) => link?.typing(typing),
    read: (seq: number) => link?.read(seq),
    escalate: () => link?.escalate(),
    /** The page changed (an SPA route or the trail): the operator sees it live. */
    page: () => link?.page(),
    /** The customer is about to write: fetch the socket's code now, not after Enter. */
    prefetch: () => void loadLink(),
    /** The customer ends the conversation; the room tells everyone, this widget included. */
    end() {
      if (conversationId) api.closeConversation(conversationId).catch(() => set({ connection: "offline" }));
    },
    setContext: (value: unknown) => value && typeof value === "object" && (custom = { ...custom, ...value }),
    /** From the pre-chat form: the topic goes with the next conversation, the rest onto the contact. */
    async saveContact({ topic: chosen, ...fields }: ContactChange & { topic?: string }) {
      topic = chosen || undefined;
      if (Object.keys(fields).length) {
        const answer = await call(() => api.updateContact(fields));
        if ("error" in answer) return answer.error.message;
        set({ contact: answer.contact });
      }
      set({ asked: true });
      return null;
    },
    async identify(identity: Identity) {
      const answer = await call(() => api.identify(identity));
      if (refused(answer, "identify was refused")) return;
      set({ contact: answer.contact });
      // Another person signed in on this browser: they get a visitor of their own, with none of the last one's chats.
      if (answer.token) {
        startNew();
        await resume({ token: answer.token, visitorId: answer.visitorId! });
      }
    },
    /** The host page's user signed out: this browser starts over as a new, anonymous visitor. */
    logout() {
      epoch++;
      token = null;
      write(tokenKey, null);
      setDrafts([]);
      startNew();
      set({ contact: null, connection: "starting" });
      started = start();
    },
    async rate(rating: Rating) {
      const id = conversationId;
      if (id && !refused(await call(() => api.rate(id, rating)), "the rating was not saved")) set({ rated: true });
    },
  };
}

export type Chat = ReturnType<typeof createChat>;
