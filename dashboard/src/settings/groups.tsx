import type { TeamGroup, TeamMember } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import type { Me } from "../app";
import "../account/team.css";

type Mode = TeamGroup["routingMode"];
const MODES: { mode: Mode; label: string }[] = [
  { mode: "manual", label: "Manual pick-up" },
  { mode: "least_busy", label: "Least busy" },
  { mode: "round_robin", label: "Round robin" },
];
type Site = { id: string; name: string; defaultGroupId: string | null };

/** Skill groups: their routing, their members, and which one each site's chats go to by default. */
export function GroupsSettings(_props: { me: Me }) {
  const [groups, setGroups] = useState<TeamGroup[] | null>(null);
  const [people, setPeople] = useState<TeamMember[]>([]);
  const [sites, setSites] = useState<Site[]>([]);
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  async function load() {
    try {
      const [a, b, c] = await Promise.all([api.team.groups.$get(), api.team.operators.$get(), api.team.sites.$get()]);
      if (!a.ok || !b.ok || !c.ok) return setProblem(await errorMessage([a, b, c].find((r) => !r.ok)!));
      setGroups((await a.json()).groups);
      setPeople((await b.json()).operators.filter((p) => !p.deactivated));
      setSites((await c.json()).sites);
    } catch {
      setProblem(OFFLINE);
    }
  }
  useEffect(() => void load(), []);

  async function act(request: () => Promise<Response>) {
    try {
      const response = await request();
      setProblem(response.ok ? null : await errorMessage(response));
    } catch {
      setProblem(OFFLINE);
    }
    await load();
  }

  function create(event: Event) {
    event.preventDefault();
    void act(() => api.team.groups.$post({ json: { name } })).then(() => setName(""));
  }

  return (
    <div class="team">
      <h2>Groups</h2>
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      <form class="team-fields" onSubmit={create}>
        <input aria-label="New group" placeholder="New group, e.g. Billing" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} data-testid="group-name" />
        <button class="primary" type="submit" data-testid="group-create">
          Add group
        </button>
      </form>
      {groups === null ? (
        <p class="muted">Loading…</p>
      ) : groups.length === 0 ? (
        <p class="muted">No groups yet: every escalated chat waits in one queue.</p>
      ) : (
        groups.map((g) => (
          <section key={g.id} class="group-card" data-testid="group-card">
            <div class="team-fields">
              <input
                aria-label="Group name"
                defaultValue={g.name}
                maxLength={100}
                onChange={(e) => {
                  const value = e.currentTarget.value.trim();
                  if (value && value !== g.name) void act(() => api.team.groups[":id"].$patch({ param: { id: g.id }, json: { name: value } }));
                }}
              />
              <select
                aria-label="Routing"
                value={g.routingMode}
                onChange={(e) => void act(() => api.team.groups[":id"].$patch({ param: { id: g.id }, json: { routingMode: e.currentTarget.value as Mode } }))}
              >
                {MODES.map((m) => (
                  <option key={m.mode} value={m.mode}>
                    {m.label}
                  </option>
                ))}
              </select>
              <label class="small">
                <input
                  type="checkbox"
                  checked={g.returnOnOffline}
                  onChange={(e) => void act(() => api.team.groups[":id"].$patch({ param: { id: g.id }, json: { returnOnOffline: e.currentTarget.checked } }))}
                />{" "}
                Chats return to the queue when their operator goes offline
              </label>
              <button
                type="button"
                class="ghost"
                onClick={() => confirm(`Delete the group ${g.name}?`) && void act(() => api.team.groups[":id"].$delete({ param: { id: g.id } }))}
              >
                Delete
              </button>
            </div>
            <div class="team-checks" aria-label={`Members of ${g.name}`}>
              {people.map((p) => {
                const inGroup = g.memberIds.includes(p.id);
                const param = { id: g.id, operatorId: p.id };
                return (
                  <label key={p.id}>
                    <input
                      type="checkbox"
                      checked={inGroup}
                      onChange={() =>
                        void act(() =>
                          inGroup ? api.team.groups[":id"].members[":operatorId"].$delete({ param }) : api.team.groups[":id"].members[":operatorId"].$put({ param }),
                        )
                      }
                    />{" "}
                    {p.name}
                  </label>
                );
              })}
            </div>
          </section>
        ))
      )}
      {sites.length > 0 && (
        <>
          <h3>Default group per site</h3>
          <p class="muted small">Chats whose topic or intent names no group go here.</p>
          <ul class="team-list">
            {sites.map((s) => (
              <li key={s.id}>
                <span>{s.name}</span>
                <select
                  aria-label={`Default group of ${s.name}`}
                  value={s.defaultGroupId ?? ""}
                  onChange={(e) => {
                    const groupId = e.currentTarget.value || null;
                    void act(() => api.team.sites[":id"]["default-group"].$put({ param: { id: s.id }, json: { groupId } }));
                  }}
                >
                  <option value="">No group (one queue)</option>
                  {(groups ?? []).map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
