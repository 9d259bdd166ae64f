import type { ConversationSummary } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { Me } from "../app";
import { ago, visitorLabel } from "../format";

type Tab = "queue" | "mine" | "open" | "closed";

const TABS: Array<{ id: Tab; label: string }> = [
  { id: "queue", label: "Queue" },
  { id: "mine", label: "Mine" },
  { id: "open", label: "All open" },
  { id: "closed", label: "Closed" },
];

const activity = (c: ConversationSummary) => c.lastMessageAt ?? c.createdAt;

/** Which conversations a tab shows, in its order: the queue oldest-waiting first, the rest newest activity first. */
function select(tab: Tab, all: ConversationSummary[], me: Me): ConversationSummary[] {
  if (tab === "queue") {
    return all.filter((c) => c.status === "queued").sort((a, b) => (a.escalatedAt ?? a.createdAt) - (b.escalatedAt ?? b.createdAt));
  }
  const shown = all.filter((c) =>
    tab === "mine" ? c.status === "assigned" && c.assignee?.id === me.id : tab === "open" ? c.status === "queued" || c.status === "assigned" : c.status === "closed",
  );
  return shown.sort((a, b) => activity(b) - activity(a));
}

const STATUS_LABEL = { bot: "Bot", queued: "Waiting", assigned: "Open", closed: "Closed" } as const;

export function ConversationList(props: {
  me: Me;
  conversations: Map<string, ConversationSummary>;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const [tab, setTab] = useState<Tab>("queue");
  const [closed, setClosed] = useState<ConversationSummary[]>([]);

  useEffect(() => {
    if (tab !== "closed") return;
    void (async () => {
      const response = await api.conversations.$get({ query: { status: "closed" } });
      const body = await response.json();
      if (!("error" in body)) setClosed(body.conversations);
    })();
  }, [tab]);

  // Live summaries win over the fetched closed list: a conversation may have moved since.
  const merged = new Map(closed.map((c) => [c.id, c]));
  for (const [id, c] of props.conversations) merged.set(id, c);
  const all = [...merged.values()];
  const counts = { queue: select("queue", all, props.me).length, mine: select("mine", all, props.me).length };
  const rows = select(tab, all, props.me);

  return (
    <>
      <nav class="tabs" role="tablist">
        {TABS.map(({ id, label }) => (
          <button
            type="button"
            role="tab"
            aria-selected={tab === id}
            class={tab === id ? "tab active" : "tab"}
            data-testid={`tab-${id}`}
            onClick={() => setTab(id)}
          >
            {label}
            {(id === "queue" || id === "mine") && counts[id] > 0 && <span class="count">{counts[id]}</span>}
          </button>
        ))}
      </nav>
      <ul class="rows">
        {rows.length === 0 && <li class="rows-empty">{tab === "queue" ? "Nobody is waiting." : "Nothing here."}</li>}
        {rows.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              class={c.id === props.selected ? "row selected" : "row"}
              data-testid="conversation-row"
              data-id={c.id}
              data-status={c.status}
              onClick={() => props.onSelect(c.id)}
            >
              <div class="row-top">
                <span class="row-name">{visitorLabel(c.visitorName, c.id)}</span>
                <span class="row-time">{ago(activity(c))}</span>
              </div>
              <div class="row-preview">{c.preview ?? "…"}</div>
              <div class="row-bottom">
                <span class={`badge ${c.status}`}>{STATUS_LABEL[c.status]}</span>
                {c.assignee && <span class="row-assignee">{c.assignee.id === props.me.id ? "You" : c.assignee.name}</span>}
              </div>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
