import type { Tag } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import type { Me } from "../app";
import { TAG_COLORS, TagChip } from "../conversation/tag-picker";
import { can } from "../roles";
import "../conversation/workbench.css";

const tags = api.workbench.tags;

async function run(request: () => Promise<Response>): Promise<string | null> {
  try {
    const response = await request();
    return response.ok ? null : await errorMessage(response);
  } catch {
    return OFFLINE;
  }
}

/** The workspace's tags: anyone adds one; supervisors and up rename, recolour and delete. */
export function TagsSettings(props: { me: Me }) {
  const manage = can(props.me.role, "supervise");
  const [list, setList] = useState<Tag[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [form, setForm] = useState({ name: "", color: TAG_COLORS[6] });

  async function load() {
    try {
      const body = await (await tags.$get()).json();
      if ("error" in body) setProblem("Could not load the list.");
      else setList(body.tags);
    } catch {
      setProblem(OFFLINE);
    }
  }

  useEffect(() => void load(), []);

  async function change(request: () => Promise<Response>) {
    setProblem(await run(request));
    await load();
  }

  return (
    <div>
      <h2>Tags</h2>
      <p class="muted">Tags sort conversations by topic; search finds them by tag. Operators can also make one from a conversation.</p>
      <form
        class="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void change(() => tags.$post({ json: form })).then(() => setForm({ ...form, name: "" }));
        }}
      >
        <label>
          Name
          <input data-testid="new-tag-name" required maxLength={40} value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </label>
        <label>
          Colour
          <input type="color" value={form.color} onInput={(e) => setForm({ ...form, color: e.currentTarget.value })} />
        </label>
        <button type="submit" class="primary" data-testid="new-tag-add">
          Add tag
        </button>
      </form>
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      {list === null ? (
        <p class="muted">Loading…</p>
      ) : list.length === 0 ? (
        <p class="muted">No tags yet.</p>
      ) : (
        <table class="settings-table">
          <thead>
            <tr>
              <th>Tag</th>
              {manage && <th>Name and colour</th>}
              {manage && <th />}
            </tr>
          </thead>
          <tbody>
            {list.map((tag) => (
              <tr key={`${tag.id}${tag.name}${tag.color}`} data-testid="tag-row" data-name={tag.name}>
                <td>
                  <TagChip tag={tag} />
                </td>
                {manage && (
                  <td>
                    <div class="row-actions">
                      <input
                        aria-label={`Name of ${tag.name}`}
                        data-testid="tag-rename"
                        defaultValue={tag.name}
                        maxLength={40}
                        onChange={(e) => void change(() => tags[":id"].$patch({ param: { id: tag.id }, json: { name: e.currentTarget.value } }))}
                      />
                      <input
                        type="color"
                        aria-label={`Colour of ${tag.name}`}
                        value={tag.color}
                        onChange={(e) => void change(() => tags[":id"].$patch({ param: { id: tag.id }, json: { color: e.currentTarget.value } }))}
                      />
                    </div>
                  </td>
                )}
                {manage && (
                  <td>
                    <button
                      type="button"
                      class="ghost"
                      data-testid="tag-delete"
                      onClick={() => {
                        if (confirm(`Delete the tag ${tag.name}? It comes off every conversation.`)) {
                          void change(() => tags[":id"].$delete({ param: { id: tag.id } }));
                        }
                      }}
                    >
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
