import type { ConversationSummary, RoutingOverview } from "@tandem/protocol";
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";
import type { Me } from "../app";
import { ago, visitorLabel } from "../format";
import { can } from "../roles";
import type { InboxState } from "../inbox/use-inbox";
import { hrefOf } from "../route";
import { transfer } from "../routing/use-targets";
import { useNow } from "../use-now";
import "./supervisor.css";

/** Soon after a change, not on every one of a burst. */
const SETTLE_MS = 250;
/** A slow read besides, for what the Inbox does not announce (an operator's limit changed). */
const REFRESH_MS = 30_000;

/** The overview, read again whenever the Inbox hears of a change while the view is open. */
function useOverview(inbox: InboxState): RoutingOverview | null {
  const [overview, setOverview] = useState<RoutingOverview | null>(null);
  const current = useRef(true);
  const read = () =>
    api.routing.overview
      .$get()
      .then(async (r) => r.ok && current.current && setOverview(await r.json()))
      .catch(() => undefined);
  useEffect(() => {
    current.current = true;
    const timer = setInterval(read, REFRESH_MS);
    return () => {
      current.current = false;
      clearInterval(timer);
    };
  }, []);
  useEffect(() => {
    const timer = setTimeout(read, overview ? SETTLE_MS : 0);
    return () => clearTimeout(timer);
  }, [inbox.conversations, inbox.presence, inbox.connected]);
  return overview;
}

/** D11: every live conversation per group with its wait, each operator's presence and load; join or reassign any. */
export function SupervisorView(props: { me: Me; inbox: InboxState }) {
  const overview = useOverview(props.inbox);
  const now = useNow(5000);
  const [problem, setProblem] = useState<string | null>(null);
  if (!can(props.me.role, "supervise")) return <div class="empty">The supervisor view needs the supervisor role.</div>;
  if (!overview) return <div class="empty muted">Loading…</div>;

  const lanes = [...overview.groups.map((g) => ({ id: g.id as string | null, name: g.name, mode: g.routingMode })), { id: null, name: "No group", mode: "manual" }];
  const inLane = (id: string | null) => overview.conversations.filter((c) => (c.groupId ?? null) === id);

  async function reassign(c: ConversationSummary, operatorId: string) {
    setProblem(await transfer(c.id, { operatorId }, ""));
  }

  return (
    <div class="supervisor" data-testid="supervisor">
      <section class="sv-operators">
        <h2>Operators</h2>
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Presence</th>
              <th>Load</th>
            </tr>
          </thead>
          <tbody>
            {overview.operators.map((o) => (
              <tr data-testid="sv-operator" data-operator={o.id}>
                <td>{o.name}</td>
                <td>
                  <span class={`sv-presence ${o.presence}`}>{o.presence}</span>
                </td>
                <td data-testid="sv-load">
                  <span class="sv-bar">
                    <span style={{ width: `${Math.min(100, (o.load / Math.max(o.maxChats, 1)) * 100)}%` }} />
                  </span>
                  {o.load} / {o.maxChats}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      <section class="sv-lanes">
        {lanes
          .filter((lane) => lane.id !== null || inLane(null).length > 0)
          .map((lane) => (
            <div class="sv-lane" data-testid="sv-group" data-group={lane.id ?? ""}>
              <h3>
                {lane.name} <span class="muted">· {lane.mode.replace("_", " ")}</span>
              </h3>
              {inLane(lane.id).length === 0 && <p class="muted">Nothing live.</p>}
              <ul>
                {inLane(lane.id).map((c) => (
                  <li class="sv-chat" data-testid="sv-conversation" data-conversation={c.id}>
                    <div class="sv-chat-top">
                      <a href={hrefOf({ view: "inbox", conversation: c.id })} data-testid="sv-join">
                        {visitorLabel(c.visitorName, c.id)}
                      </a>
                      <span class={`badge ${c.status}`}>{c.status === "queued" ? `waiting ${ago(c.escalatedAt ?? c.createdAt, now)}` : c.assignee?.name}</span>
                    </div>
                    <div class="sv-preview muted">{c.preview}</div>
                    <select
                      aria-label="Reassign to"
                      data-testid="sv-reassign"
                      value=""
                      onChange={(e) => {
                        const value = (e.currentTarget as HTMLSelectElement).value;
                        if (value) void reassign(c, value);
                      }}
                    >
                      <option value="">Reassign to…</option>
                      {overview.operators
                        .filter((o) => o.id !== c.assignee?.id)
                        .map((o) => (
                          <option value={o.id}>
                            {o.name} ({o.load}/{o.maxChats}, {o.presence})
                          </option>
                        ))}
                    </select>
                  </li>
                ))}
              </ul>
            </div>
          ))}
      </section>
    </div>
  );
}
