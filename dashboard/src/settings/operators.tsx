import { hasRole, OPERATOR_ROLES, type OperatorRole as Role, type PendingInvite, type TeamGroup, type TeamMember } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import type { Me } from "../app";
import "../account/team.css";

/** The roles `me` may give: none above their own, and owners only by owners (the server checks the same). */
const givable = (me: Me) => OPERATOR_ROLES.filter((r) => hasRole(me, r) && (r !== "owner" || me.role === "owner"));

/** Answers the server's refusal as a sentence, or null when it went through. */
async function attempt(request: () => Promise<Response>): Promise<string | null> {
  try {
    const response = await request();
    return response.ok ? null : await errorMessage(response);
  } catch {
    return OFFLINE;
  }
}

/** Operators: who is in the team, their role, load limit and groups; invites; deactivation. */
export function OperatorsSettings(props: { me: Me }) {
  const { me } = props;
  const [people, setPeople] = useState<TeamMember[] | null>(null);
  const [groups, setGroups] = useState<TeamGroup[]>([]);
  const [invites, setInvites] = useState<PendingInvite[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  async function load() {
    try {
      const [a, b, c] = await Promise.all([api.team.operators.$get(), api.team.groups.$get(), api.team.invites.$get()]);
      if (!a.ok || !b.ok || !c.ok) return setProblem(await errorMessage([a, b, c].find((r) => !r.ok)!));
      setPeople((await a.json()).operators);
      setGroups((await b.json()).groups);
      setInvites((await c.json()).invites);
    } catch {
      setProblem(OFFLINE);
    }
  }
  useEffect(() => void load(), []);

  async function act(request: () => Promise<Response>) {
    setProblem(await attempt(request));
    await load();
  }

  const groupName = (id: string) => groups.find((g) => g.id === id)?.name ?? "?";
  const roles = givable(me);

  return (
    <div class="team">
      <h2>Operators</h2>
      {problem && (
        <p class="form-error" role="alert" data-testid="team-problem">
          {problem}
        </p>
      )}
      {people === null ? (
        <p class="muted">Loading…</p>
      ) : (
        <table class="team-table" data-testid="operators">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Presence</th>
              <th>Max chats</th>
              <th>Groups</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id} data-testid="operator-row" data-email={p.email} class={p.deactivated ? "inactive" : undefined}>
                <td>
                  <div>{p.name}</div>
                  <div class="muted small">{p.email}</div>
                </td>
                <td>
                  <select
                    aria-label={`Role of ${p.name}`}
                    value={p.role}
                    disabled={p.id === me.id || !roles.includes(p.role as Role)}
                    onChange={(e) => void act(() => api.team.operators[":id"].$patch({ param: { id: p.id }, json: { role: e.currentTarget.value as Role } }))}
                  >
                    {OPERATOR_ROLES.filter((r) => roles.includes(r) || r === p.role).map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <span class={`dot ${p.presence}`} /> {p.deactivated ? "deactivated" : p.presence}
                </td>
                <td>
                  <input
                    class="narrow"
                    type="number"
                    min={0}
                    max={100}
                    aria-label={`Max chats of ${p.name}`}
                    value={p.maxChats}
                    onChange={(e) => {
                      const maxChats = Number(e.currentTarget.value);
                      void act(() => api.team.operators[":id"].$patch({ param: { id: p.id }, json: { maxChats } }));
                    }}
                  />
                </td>
                <td class="small">{p.groupIds.map(groupName).join(", ") || <span class="muted">none</span>}</td>
                <td>
                  {p.id !== me.id &&
                    (p.deactivated ? (
                      <button type="button" class="secondary" onClick={() => void act(() => api.team.operators[":id"].reactivate.$post({ param: { id: p.id } }))}>
                        Reactivate
                      </button>
                    ) : (
                      <button
                        type="button"
                        class="secondary danger"
                        data-testid="deactivate"
                        onClick={() => {
                          if (confirm(`Deactivate ${p.name}? They are signed out at once.`)) {
                            void act(() => api.team.operators[":id"].deactivate.$post({ param: { id: p.id } }));
                          }
                        }}
                      >
                        Deactivate
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <InviteForm roles={roles} groups={groups} onInvited={() => void load()} />
      {invites.length > 0 && (
        <>
          <h3>Pending invites</h3>
          <ul class="team-list" data-testid="invites">
            {invites.map((i) => (
              <li key={i.id}>
                <span>
                  {i.name} <span class="muted">{i.email} · {i.role} · expires {new Date(i.expiresAt).toLocaleDateString()}</span>
                </span>
                <button type="button" class="ghost" onClick={() => void act(() => api.team.invites[":id"].$delete({ param: { id: i.id } }))}>
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function InviteForm(props: { roles: Role[]; groups: TeamGroup[]; onInvited: () => void }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("operator");
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    try {
      const response = await api.team.invites.$post({ json: { email, name, role, groupIds } });
      if (!response.ok) return setError(await errorMessage(response));
      setLink((await response.json()).link);
      setCopied(false);
      setEmail("");
      setName("");
      setGroupIds([]);
      props.onInvited();
    } catch {
      setError(OFFLINE);
    }
  }

  async function copy() {
    await navigator.clipboard?.writeText(link!).catch(() => undefined);
    setCopied(true);
  }

  const toggle = (id: string) => setGroupIds((ids) => (ids.includes(id) ? ids.filter((g) => g !== id) : [...ids, id]));

  return (
    <form class="team-form" onSubmit={submit} data-testid="invite-form">
      <h3>Invite an operator</h3>
      <div class="team-fields">
        <input aria-label="Name" placeholder="Name" required value={name} onInput={(e) => setName(e.currentTarget.value)} data-testid="invite-name" />
        <input aria-label="E-mail" type="email" placeholder="E-mail" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} data-testid="invite-email" />
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} data-testid="invite-role">
          {props.roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button class="primary" type="submit" data-testid="invite-submit">
          Invite
        </button>
      </div>
      {props.groups.length > 0 && (
        <div class="team-checks">
          {props.groups.map((g) => (
            <label key={g.id}>
              <input type="checkbox" checked={groupIds.includes(g.id)} onChange={() => toggle(g.id)} /> {g.name}
            </label>
          ))}
        </div>
      )}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {link && (
        <div class="invite-link">
          <span class="muted small">Send this one-time link (valid 7 days):</span>
          <input readOnly value={link} data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
          <button type="button" class="secondary" onClick={() => void copy()} data-testid="invite-copy">
            {copied ? "Copied" : "Copy"}
          </button>
        </div>
      )}
    </form>
  );
}
