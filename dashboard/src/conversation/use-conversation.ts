import { ConversationSync, parseServerFrame, type ConversationSummary, type OutboxEntry, type PageContext, type SyncSnapshot } from "@tandem/protocol";
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";
import type { Me } from "../app";
import { isSignedOut, roomSocket } from "../room-socket";
import type { Contact } from "./use-card";

const PAGE = 50;

export type PageView = { url: string; title: string | null; at: number };

export type ConversationDetail = {
  summary: ConversationSummary;
  context: PageContext;
  contact: Contact;
  /** The customer's navigation trail, newest first; the first is where they are now. Live. */
  trail: PageView[];
};

export type OpenConversation = {
  detail: ConversationDetail | null;
  snapshot: SyncSnapshot | null;
  connected: boolean;
  /** Older messages exist above the ones loaded. */
  more: boolean;
  loadOlder: () => Promise<void>;
  send: (body: string) => void;
  /** Takes a message the room refused for good out of the list, and gives it back (to edit). */
  discard: (clientMsgId: string) => OutboxEntry | undefined;
  typing: (on: boolean) => void;
  /** Gone, or not in this workspace. */
  missing: boolean;
  /** The first load never got an answer; `retry` tries again. */
  failed: boolean;
  retry: () => void;
  /** Why messages written here were refused (the conversation closed before they arrived). */
  rejected: string | null;
  /** Counts the room's "card" frames: another operator changed the tags or notes. */
  cardVersion: number;
  /** The contact as the server has it after an operator's edit. */
  setContact: (contact: ConversationDetail["contact"]) => void;
};

/**
 * One conversation for an operator: its newest page over HTTP, then the
 * room's live messages from there on (ConversationSync over partysocket),
 * and older pages on demand.
 */
export function useConversation(id: string, me: Me, onSignedOut: () => void): OpenConversation {
  const [detail, setDetail] = useState<ConversationDetail | null>(null);
  const [snapshot, setSnapshot] = useState<SyncSnapshot | null>(null);
  const [connected, setConnected] = useState(false);
  const [more, setMore] = useState(false);
  const [missing, setMissing] = useState(false);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [rejected, setRejected] = useState<string | null>(null);
  const [cardVersion, setCardVersion] = useState(0);
  const sync = useRef<ConversationSync | null>(null);

  useEffect(() => {
    let socket: ReturnType<typeof roomSocket> | null = null;
    let cancelled = false;
    setDetail(null);
    setSnapshot(null);
    setMissing(false);
    setFailed(false);
    sync.current = null;

    async function open() {
      const [detailResponse, pageResponse] = await Promise.all([
        api.conversations[":id"].$get({ param: { id } }),
        api.conversations[":id"].messages.$get({ param: { id }, query: { limit: String(PAGE) } }),
      ]);
      if (cancelled) return;
      if (detailResponse.status === 401) return onSignedOut();
      if (detailResponse.status === 404) return setMissing(true);
      const found = await detailResponse.json();
      const page = await pageResponse.json();
      if (cancelled) return;
      if ("error" in found || "error" in page) return setFailed(true);
      setDetail({ summary: found.conversation, context: found.context, contact: found.contact, trail: found.trail });
      setMore(page.more);

      const conversation = new ConversationSync({
        parse: parseServerFrame,
        self: { authorKind: "operator", authorId: me.id, authorName: me.name },
        after: page.messages.at(-1)?.seq ?? 0,
        onChange: setSnapshot,
        onRejected: (_, reason) => setRejected(`Not sent: ${reason}.`),
        // The room says where the customer is as they move (and on every connect).
        onFrame: (frame) => {
          if (frame.type === "card") setCardVersion((n) => n + 1);
          if (frame.type !== "page") return;
          const view = { url: frame.url, title: frame.title, at: frame.at };
          setDetail((d) => (d && !d.trail.some((p) => p.at === view.at && p.url === view.url) ? { ...d, trail: [view, ...d.trail] } : d));
        },
      });
      conversation.addMessages(page.messages, page.more);
      sync.current = conversation;

      socket = roomSocket("conversation", id, (code) => (isSignedOut(code) ? onSignedOut() : setMissing(true)));
      const live = socket;
      live.addEventListener("open", () => {
        conversation.connected({ send: (text) => live.readyState === WebSocket.OPEN && live.send(text) });
        setConnected(true);
      });
      live.addEventListener("message", (event: MessageEvent) => conversation.receive(String(event.data)));
      live.addEventListener("close", (event: CloseEvent) => {
        conversation.disconnected(event.code);
        setConnected(false);
      });
    }

    open().catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
      socket?.close();
    };
  }, [id, attempt]);

  async function loadOlder() {
    const oldest = sync.current?.snapshot().messages[0]?.seq;
    if (!sync.current || !oldest || oldest <= 1) return setMore(false);
    try {
      const response = await api.conversations[":id"].messages.$get({ param: { id }, query: { before: String(oldest), limit: String(PAGE) } });
      const page = await response.json();
      if ("error" in page) return;
      sync.current.addMessages(page.messages, page.more);
      setMore(page.more);
    } catch {
      // Offline for a moment: scrolling up again asks again.
    }
  }

  // The operator has this conversation open: while the page is visible, all of it counts as read.
  const lastSeq = snapshot?.messages.at(-1)?.seq ?? 0;
  useEffect(() => {
    const markRead = () => {
      if (document.visibilityState === "visible" && lastSeq) sync.current?.read(lastSeq);
    };
    markRead();
    document.addEventListener("visibilitychange", markRead);
    return () => document.removeEventListener("visibilitychange", markRead);
  }, [lastSeq, connected]);

  return {
    detail,
    snapshot,
    connected,
    // A resume after a long time away sends only the newest page: the sync then says older ones are missing.
    more: snapshot ? snapshot.older : more,
    missing,
    failed,
    rejected,
    cardVersion,
    retry: () => setAttempt((n) => n + 1),
    loadOlder,
    send: (body) => {
      setRejected(null);
      sync.current?.send(body);
    },
    discard: (clientMsgId) => sync.current?.discard(clientMsgId),
    typing: (on) => sync.current?.typing(on),
    setContact: (contact) => setDetail((d) => (d ? { ...d, contact } : d)),
  };
}
