import type { IntentView, TeamGroup } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import type { Me } from "../app";
import "../account/team.css";
import { LANGS } from "./draft";
import { UnansweredList } from "../unanswered/unanswered-list";
import { IntentEditor } from "./intent-editor";
import { EmbeddingsSettings } from "./embeddings-settings";
import { ModelSettings } from "./model-settings";
import "./knowledge.css";

/** Settings → Knowledge base: the bot's intents, their editor, import and export. Admins only (the tab is hidden below). */
export function KnowledgeSettings(_props: { me: Me }) {
  const [intents, setIntents] = useState<IntentView[] | null>(null);
  const [groups, setGroups] = useState<TeamGroup[]>([]);
  const [filter, setFilter] = useState("");
  // The intent being edited: an id, "new", or none.
  const [editing, setEditing] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const edit = (id: string) => {
    setNotice(null);
    setEditing(id);
  };

  async function load() {
    try {
      const [a, b] = await Promise.all([api.knowledge.$get(), api.team.groups.$get()]);
      if (!a.ok || !b.ok) return setProblem(await errorMessage(a.ok ? b : a));
      setIntents((await a.json()).intents);
      setGroups((await b.json()).groups);
    } catch {
      setProblem(OFFLINE);
    }
  }
  useEffect(() => void load(), []);

  async function toggle(intent: IntentView, enabled: boolean) {
    try {
      const response = await api.knowledge[":id"].enabled.$put({ param: { id: intent.id }, json: { enabled } });
      setProblem(response.ok ? null : await errorMessage(response));
    } catch {
      setProblem(OFFLINE);
    }
    await load();
  }

  async function remove(intent: IntentView) {
    if (!confirm(`Delete the intent ${intent.name}?`)) return;
    try {
      const response = await api.knowledge[":id"].$delete({ param: { id: intent.id } });
      setProblem(response.ok ? null : await errorMessage(response));
      if (response.ok) setEditing(null);
    } catch {
      setProblem(OFFLINE);
    }
    await load();
  }

  async function importFile(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const file = (form.elements.namedItem("file") as HTMLInputElement).files?.[0];
    const mode = (form.elements.namedItem("mode") as RadioNodeList).value;
    if (!file) return;
    setNotice(null);
    try {
      // The file goes as it is: the server checks it and names the first problem.
      const response = await fetch(`/api/ops/knowledge/import?mode=${mode}`, { method: "POST", headers: { "content-type": "application/json" }, body: await file.text() });
      if (!response.ok) return setProblem(await errorMessage(response));
      const result = (await response.json()) as { created: number; updated: number; deleted: number };
      setProblem(null);
      setNotice(`Imported: ${result.created} new, ${result.updated} updated, ${result.deleted} removed.`);
      form.reset();
      setEditing(null);
    } catch {
      setProblem(OFFLINE);
    }
    await load();
  }

  const needle = filter.trim().toLowerCase();
  const shown = (intents ?? []).filter(
    (i) => !needle || i.name.toLowerCase().includes(needle) || i.key.includes(needle) || LANGS.some((l) => i.phrasings[l]?.some((p) => p.toLowerCase().includes(needle))),
  );
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  const current = editing && editing !== "new" ? intents?.find((i) => i.id === editing) : undefined;

  return (
    <div class="team">
      <h2>Knowledge base</h2>
      <p class="muted small">What the bot answers, and the prompter suggests. Each intent has phrasings customers might write and an answer, per language.</p>
      {problem && (
        <p class="form-error" role="alert" data-testid="kb-error">
          {problem}
        </p>
      )}
      {notice && <p data-testid="kb-notice">{notice}</p>}
      <UnansweredList intents={intents ?? []} onAdded={() => void load()} />
      <div class="kb-toolbar">
        <input type="search" placeholder="Filter by name, key or phrasing" aria-label="Filter intents" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} data-testid="kb-filter" />
        <button class="primary" type="button" onClick={() => edit("new")} data-testid="kb-new">
          New intent
        </button>
        <a class="secondary" href="/api/ops/knowledge/export" download="knowledge-base.json" data-testid="kb-export">
          Export JSON
        </a>
      </div>
      <form class="kb-import" onSubmit={importFile}>
        <input type="file" name="file" accept="application/json,.json" required aria-label="Knowledge base file" data-testid="kb-file" />
        <label class="small">
          <input type="radio" name="mode" value="merge" checked /> Merge by key
        </label>
        <label class="small">
          <input type="radio" name="mode" value="replace" data-testid="kb-replace" /> Replace everything
        </label>
        <button type="submit" class="secondary" data-testid="kb-import">
          Import
        </button>
      </form>
      {editing && (
        <IntentEditor
          key={editing}
          intent={current}
          intents={intents ?? []}
          groups={groups}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(`Saved “${saved.name}”.`);
            // Show what the server kept at once; the reload brings anyone else's changes.
            setIntents((list) => [...(list ?? []).filter((i) => i.id !== saved.id), saved].sort((a, b) => (a.id < b.id ? -1 : 1)));
            void load();
          }}
        />
      )}
      {intents === null ? (
        <p class="muted">Loading…</p>
      ) : intents.length === 0 ? (
        <p class="muted">No intents yet: the bot hands every question to an operator.</p>
      ) : (
        <table class="team-table kb-table">
          <thead>
            <tr>
              <th>Intent</th>
              <th>Phrasings ru / uk / en</th>
              <th>Group</th>
              <th class="narrow">On</th>
              <th class="narrow" />
            </tr>
          </thead>
          <tbody>
            {shown.map((i) => (
              <tr key={i.id} class={i.enabled ? "" : "off"} data-testid="kb-row" data-key={i.key}>
                <td>
                  <button type="button" class="link" onClick={() => edit(i.id)} data-testid="kb-edit">
                    {i.name}
                  </button>{" "}
                  <code>{i.key}</code>
                </td>
                <td class="kb-count">{LANGS.map((l) => i.phrasings[l]?.length ?? 0).join(" / ")}</td>
                <td>{(i.groupId && groupName.get(i.groupId)) || <span class="muted">—</span>}</td>
                <td>
                  <input type="checkbox" aria-label={`${i.name} enabled`} checked={i.enabled} onChange={(e) => void toggle(i, e.currentTarget.checked)} data-testid="kb-enabled" />
                </td>
                <td>
                  <button type="button" class="ghost" onClick={() => void remove(i)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ModelSettings />
      <EmbeddingsSettings />
    </div>
  );
}
