import { InboxServerFrame, parseFrame, type ConversationSummary, type Presence } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { roomSocket } from "../room-socket";

const RETRY_MS = 3000;

export type InboxState = {
  conversations: Map<string, ConversationSummary>;
  connected: boolean;
  /** A snapshot has been applied: what is shown is the workspace's, not the empty start. */
  loaded: boolean;
  /** Presence changes heard since the page loaded, by operator: the toggle and the supervisor view follow them. */
  presence: Map<string, { presence: Presence; at: number }>;
};

/**
 * The workspace's conversations, kept current: on every (re)connect a
 * snapshot from the API, then the Inbox room's events newer than it, so a
 * dashboard that slept catches up by itself.
 */
export function useInbox(workspaceId: string, onSignedOut: () => void): InboxState {
  const [state, setState] = useState<InboxState>({ conversations: new Map(), connected: false, loaded: false, presence: new Map() });

  useEffect(() => {
    let version = 0;
    let loaded = false;
    let conversations = new Map<string, ConversationSummary>();
    const presence = new Map<string, { presence: Presence; at: number }>();
    let retry: ReturnType<typeof setTimeout> | undefined;
    // What was last handed out, copied again only after a change: the list sorts a thousand summaries when its map is new.
    let shown = { conversations: new Map(conversations), presence: new Map(presence) };
    let changed = { conversations: false, presence: false };
    const publish = (connected = socket.readyState === WebSocket.OPEN) => {
      if (changed.conversations) shown = { ...shown, conversations: new Map(conversations) };
      if (changed.presence) shown = { ...shown, presence: new Map(presence) };
      changed = { conversations: false, presence: false };
      setState({ ...shown, connected, loaded });
    };
    const upsert = (summary: ConversationSummary) => {
      conversations.set(summary.id, { ...conversations.get(summary.id), ...summary });
      changed.conversations = true;
    };
    const resyncLater = () => (retry = setTimeout(() => socket.readyState === WebSocket.OPEN && void resync(), RETRY_MS));

    async function resync() {
      clearTimeout(retry);
      try {
        const response = await api.inbox.$get();
        if (response.status === 401) return onSignedOut();
        if (!response.ok) throw new Error(`inbox snapshot: ${response.status}`);
        const snapshot = await response.json();
        version = snapshot.version;
        // Closed ones stay known (the Closed tab), the open ones are replaced wholesale.
        conversations = new Map([...conversations].filter(([, c]) => c.status === "closed"));
        changed.conversations = true;
        for (const summary of snapshot.conversations) upsert(summary);
        loaded = true;
        publish();
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "resume", after: version }));
      } catch {
        // The room sends nothing until we resume, and we resume only after a snapshot: keep asking.
        resyncLater();
      }
    }

    const socket = roomSocket("inbox", workspaceId, onSignedOut);
    socket.addEventListener("open", () => void resync());
    socket.addEventListener("close", () => publish(false));
    socket.addEventListener("message", (event: MessageEvent) => {
      const parsed = parseFrame(InboxServerFrame, event.data);
      if (!parsed.ok) return;
      const frame = parsed.frame;
      switch (frame.type) {
        case "event":
          if (frame.event.version <= version) return;
          version = frame.event.version;
          // An event about no conversation (a presence change) is told by its own presence frame.
          if (!frame.conversation) return;
          upsert(frame.conversation);
          return publish();
        case "activity": {
          const known = conversations.get(frame.conversationId);
          if (!known || known.lastSeq >= frame.lastSeq) return;
          upsert({ ...known, lastSeq: frame.lastSeq, preview: frame.preview, lastMessageAt: frame.at });
          return publish();
        }
        case "presence":
          if ((presence.get(frame.operatorId)?.at ?? 0) > frame.at) return;
          presence.set(frame.operatorId, { presence: frame.presence, at: frame.at });
          changed.presence = true;
          return publish();
        case "stale":
          return void resync();
        case "error":
          // The replay failed on the room's side ("resume again"); refusals end the socket instead.
          if (frame.code === "internal") resyncLater();
      }
    });
    return () => {
      clearTimeout(retry);
      socket.close();
    };
  }, [workspaceId]);

  return state;
}
