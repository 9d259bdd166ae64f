import type { DrillRow } from "@tandem/protocol";
import { useEffect, useRef, useState } from "preact/hooks";
import { visitorLabel } from "../format";
import { readDrill } from "./client";
import type { DrillTarget } from "./drill";
import type { ApiQuery } from "./filters";
import { duration, NONE } from "./format";

/** The conversations behind a bar, cell or row, a page at a time, each a link to open it. */
export function DrillDialog(props: { target: DrillTarget; query: ApiQuery; timeZone: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [rows, setRows] = useState<DrillRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const [when] = useState(() => new Intl.DateTimeFormat("en-GB", { timeZone: props.timeZone, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }));

  async function load(after: string | null) {
    setLoading(true);
    try {
      const page = await readDrill(props.query, props.target.drill, after);
      setRows((old) => (after ? [...old, ...page.rows] : page.rows));
      setNext(page.next);
      setProblem(null);
    } catch (error) {
      setProblem((error as Error).message);
    }
    setLoading(false);
  }

  useEffect(() => {
    dialog.current?.showModal();
    void load(null);
  }, []);

  const valued = rows.some((r) => r.value !== null);
  return (
    <dialog ref={dialog} class="an-drill" data-testid="drill-dialog" aria-labelledby="an-drill-title" onClose={props.onClose}>
      <header class="an-drill-head">
        <h2 id="an-drill-title">{props.target.title}</h2>
        <button type="button" class="ghost" aria-label="Close" data-testid="drill-close" onClick={() => dialog.current?.close()}>
          ✕
        </button>
      </header>
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      <div class="an-drill-body">
        <table class="an-table">
          <thead>
            <tr>
              <th scope="col">Conversation</th>
              <th scope="col">Started</th>
              <th scope="col">Channel</th>
              <th scope="col">Status</th>
              <th scope="col">Operator</th>
              <th scope="col">Group</th>
              <th scope="col" class="num">
                Rating
              </th>
              {valued && (
                <th scope="col" class="num">
                  Time
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-testid="drill-row" data-id={row.id}>
                <th scope="row">
                  <a href={`#/c/${row.id}`} data-testid="drill-open">
                    {visitorLabel(row.contact, row.id)}
                  </a>
                </th>
                <td>{when.format(row.createdAt)}</td>
                <td>{row.channel}</td>
                <td>
                  <span class={`badge ${row.status}`}>{row.status}</span>
                </td>
                <td>{row.operator ?? NONE}</td>
                <td>{row.group ?? NONE}</td>
                <td class="num">{row.rating ?? NONE}</td>
                {valued && <td class="num">{duration(row.value)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
        {!loading && rows.length === 0 && !problem && <p class="muted an-empty-row">No conversations.</p>}
      </div>
      <footer class="an-drill-foot">
        <span class="muted" data-testid="drill-count">
          {rows.length} {rows.length === 1 ? "conversation" : "conversations"}
          {next ? " so far" : ""}
        </span>
        {loading ? (
          <span class="muted">Loading…</span>
        ) : (
          next && (
            <button type="button" class="secondary" data-testid="drill-more" onClick={() => void load(next)}>
              More
            </button>
          )
        )}
      </footer>
    </dialog>
  );
}
