import type { SearchHit } from "@tandem/protocol";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import type { Me } from "../app";
import { IdentityMark } from "../conversation/identity-mark";
import { ago, visitorLabel } from "../format";
import "./search.css";

const DEBOUNCE_MS = 200;
const STATUS: Record<SearchHit["status"], string> = { bot: "with the bot", queued: "waiting", assigned: "open", closed: "closed" };

/**
 * Search over the workspace's conversations (D10): results come as one types,
 * ↑/↓ pick one, Enter or a click opens it, Escape clears the box.
 */
export function SearchBox(props: { me: Me; onOpen: (conversationId: string) => void }) {
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setHits(null);
      setProblem(null);
      return;
    }
    // Only the newest query's answer may land: a slow older one is aborted.
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await api.search.$get({ query: { q } }, { init: { signal: abort.signal } });
        if (!response.ok) return setProblem(await errorMessage(response));
        setHits((await response.json()).results);
        setProblem(null);
        setActive(0);
      } catch {
        if (!abort.signal.aborted) setProblem(OFFLINE);
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [query]);

  function open(hit: SearchHit | undefined) {
    if (!hit) return;
    props.onOpen(hit.conversationId);
    setQuery("");
    input.current?.blur();
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      setQuery("");
      input.current?.blur();
    } else if (event.key === "Enter") {
      event.preventDefault();
      open(hits?.[active]);
    } else if (hits?.length && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      setActive((i) => (i + (event.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length);
    }
  }

  return (
    <div class="search" role="search">
      <input
        ref={input}
        type="search"
        placeholder="Search messages, names, e-mails, tags"
        aria-label="Search conversations"
        value={query}
        maxLength={200}
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        data-testid="search-input"
      />
      {(hits || problem) && query.trim().length >= 2 && (
        <ul class="search-results" role="listbox" data-testid="search-results">
          {problem && <li class="search-note">{problem}</li>}
          {hits?.length === 0 && <li class="search-note">Nothing found.</li>}
          {hits?.map((hit, i) => (
            <li
              key={hit.conversationId}
              role="option"
              aria-selected={i === active}
              class={i === active ? "active" : undefined}
              // mousedown, not click: the input's blur must not close the list first.
              onMouseDown={(e) => {
                e.preventDefault();
                open(hit);
              }}
              data-testid="search-hit"
              data-id={hit.conversationId}
            >
              <div class="search-line">
                <span class="row-who">
                  <strong>{hit.customer ?? hit.email ?? visitorLabel(null, hit.conversationId)}</strong>
                  <IdentityMark verified={hit.verified} claimed={(hit.customer ?? hit.email) !== null} />
                </span>
                <span class="muted small">
                  {STATUS[hit.status]} · {ago(hit.lastActivityAt)}
                </span>
              </div>
              <div class="search-snippet">
                <Marked text={hit.snippet} query={query.trim()} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The snippet with the first match in <mark>. */
function Marked(props: { text: string; query: string }) {
  const at = props.text.toLocaleLowerCase().indexOf(props.query.toLocaleLowerCase());
  if (at < 0) return <>{props.text}</>;
  const end = at + props.query.length;
  return (
    <>
      {props.text.slice(0, at)}
      <mark>{props.text.slice(at, end)}</mark>
      {props.text.slice(end)}
    </>
  );
}
