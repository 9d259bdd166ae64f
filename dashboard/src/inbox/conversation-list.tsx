import type { ConversationSummary } from "@tandem/protocol";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api } from "../api";
import { useNow } from "../use-now";
import { ConversationRow } from "./conversation-row";
import { useAnnounce } from "./use-announce";
import { conversationsIn, TABS, type Tab } from "./tabs";

// The closed ones are not part of the live inbox: fetched each time their tab opens.
function useClosed(tab: Tab): ConversationSummary[] {
  const [closed, setClosed] = useState<ConversationSummary[]>([]);
  useEffect(() => {
    if (tab !== "closed") return;
    let current = true;
    (async () => {
      const response = await api.conversations.$get({ query: { status: "closed" } });
      if (response.ok && current) setClosed((await response.json()).conversations);
    })().catch(() => {
      // Offline: the list keeps what it had; the tab asks again next time.
    });
    return () => {
      current = false;
    };
  }, [tab]);
  return closed;
}

// Rows drawn at first and added per step as the list scrolls: a queue of 1,000 costs the DOM and the
// main thread of 25 rows (about two screens), not of 1,000 (D13).
const PAGE = 25;

/** Grows `limit` by a page whenever the sentinel at the end of the drawn rows comes into view. */
function useGrowingLimit(reset: unknown): [number, (element: HTMLElement | null) => void] {
  const [limit, setLimit] = useState(PAGE);
  const observer = useRef<IntersectionObserver | null>(null);
  useEffect(() => setLimit(PAGE), [reset]);
  useEffect(() => () => observer.current?.disconnect(), []);
  const watch = (element: HTMLElement | null) => {
    observer.current?.disconnect();
    if (!element) return;
    observer.current = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setLimit((n) => n + PAGE);
    });
    observer.current.observe(element);
  };
  return [limit, watch];
}

/** The tabs and the rows of the left column. Arrow keys move between tabs, as in any tab list. */
export function ConversationList(props: {
  meId: string;
  conversations: Map<string, ConversationSummary>;
  /** The inbox has its first snapshot (what came before it is not news). */
  loaded: boolean;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const [tab, setTab] = useState<Tab>("queue");
  const closed = useClosed(tab);
  const now = useNow();
  useAnnounce(props.conversations, props.meId, props.loaded);

  // Sorting a thousand summaries is done once per change of the list, not on every render (the clock, a selection).
  const { rows, counts } = useMemo(() => {
    // Live summaries win over the fetched closed list: a conversation may have moved since.
    const merged = new Map(closed.map((c) => [c.id, c]));
    for (const [id, c] of props.conversations) merged.set(id, c);
    const all = [...merged.values()];
    const queue = conversationsIn("queue", all, props.meId);
    const counts: Partial<Record<Tab, number>> = { queue: queue.length, mine: conversationsIn("mine", all, props.meId).length };
    return { rows: tab === "queue" ? queue : conversationsIn(tab, all, props.meId), counts };
  }, [props.conversations, closed, tab, props.meId]);
  const [limit, watch] = useGrowingLimit(tab);
  // The open conversation is always drawn, however far down the list it is.
  const shown = Math.max(limit, rows.findIndex((c) => c.id === props.selected) + 1);

  function onTabKey(event: KeyboardEvent) {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const index = (TABS.findIndex((t) => t.id === tab) + step + TABS.length) % TABS.length;
    setTab(TABS[index].id);
    (event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>("[role=tab]")[index]?.focus();
  }

  return (
    <>
      <nav class="tabs" role="tablist" aria-label="Conversations" onKeyDown={onTabKey}>
        {TABS.map(({ id, label }) => (
          <button
            type="button"
            role="tab"
            aria-selected={tab === id}
            tabIndex={tab === id ? 0 : -1}
            class={tab === id ? "tab active" : "tab"}
            data-testid={`tab-${id}`}
            onClick={() => setTab(id)}
          >
            {label}
            {!!counts[id] && <span class="count">{counts[id]}</span>}
          </button>
        ))}
      </nav>
      <div class="rows" role="tabpanel" aria-label={TABS.find((t) => t.id === tab)!.label}>
        {rows.length === 0 && <p class="rows-empty">{tab === "queue" ? "Nobody is waiting." : "Nothing here."}</p>}
        <ul>
          {rows.slice(0, shown).map((c) => (
            <li key={c.id}>
              <ConversationRow conversation={c} meId={props.meId} selected={c.id === props.selected} now={now} onSelect={props.onSelect} />
            </li>
          ))}
        </ul>
        {shown < rows.length && (
          <p class="rows-more" ref={watch} data-testid="rows-more">
            {rows.length - shown} more…
          </p>
        )}
      </div>
    </>
  );
}
