import type { CannedReply } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import type { Me } from "../app";
import { can } from "../roles";
import "../conversation/workbench.css";

const canned = api.workbench.canned;

/** Sends one request; answers null when it went through, else what went wrong. */
async function run(request: () => Promise<Response>): Promise<string | null> {
  try {
    const response = await request();
    return response.ok ? null : await errorMessage(response);
  } catch {
    return OFFLINE;
  }
}

function ReplyRow(props: { reply: CannedReply; editable: boolean; onChanged: (problem: string | null) => void }) {
  const { reply } = props;
  const [draft, setDraft] = useState<{ shortcut: string; body: string } | null>(null);
  const param = { id: reply.id };
  if (draft) {
    return (
      <tr data-testid="canned-row" data-shortcut={reply.shortcut}>
        <td>
          <input value={draft.shortcut} aria-label="Shortcut" onInput={(e) => setDraft({ ...draft, shortcut: e.currentTarget.value })} />
        </td>
        <td>
          <input value={draft.body} aria-label="Text" style={{ width: "100%" }} onInput={(e) => setDraft({ ...draft, body: e.currentTarget.value })} />
        </td>
        <td>{reply.shared ? "Everyone" : "Only me"}</td>
        <td>
          <div class="row-actions">
            <button
              type="button"
              class="primary"
              onClick={async () => {
                const problem = await run(() => canned[":id"].$patch({ param, json: draft }));
                if (!problem) setDraft(null);
                props.onChanged(problem);
              }}
            >
              Save
            </button>
            <button type="button" class="secondary" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </td>
      </tr>
    );
  }
  return (
    <tr data-testid="canned-row" data-shortcut={reply.shortcut}>
      <td>
        <b>/{reply.shortcut}</b>
      </td>
      <td class="body">{reply.body}</td>
      <td>{reply.shared ? "Everyone" : "Only me"}</td>
      <td>
        <div class="row-actions">
          {props.editable && (
            <>
              <button type="button" class="ghost" onClick={() => setDraft({ shortcut: reply.shortcut, body: reply.body })}>
                Edit
              </button>
              <button
                type="button"
                class="ghost"
                data-testid="canned-delete"
                onClick={async () => {
                  if (confirm(`Delete /${reply.shortcut}?`)) props.onChanged(await run(() => canned[":id"].$delete({ param })));
                }}
              >
                Delete
              </button>
            </>
          )}
        </div>
      </td>
    </tr>
  );
}

/** Canned replies: everyone keeps personal ones; admins keep the workspace's. Variables: {name}, {operator}. */
export function CannedRepliesSettings(props: { me: Me }) {
  const admin = can(props.me.role, "administer");
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [form, setForm] = useState({ shortcut: "", body: "", shared: false });

  async function load() {
    try {
      const body = await (await canned.$get()).json();
      if ("error" in body) setProblem("Could not load the list.");
      else setReplies(body.replies);
    } catch {
      setProblem(OFFLINE);
    }
  }

  useEffect(() => void load(), []);

  function changed(failed: string | null) {
    setProblem(failed);
    void load();
  }

  async function add(event: Event) {
    event.preventDefault();
    const failed = await run(() => canned.$post({ json: form }));
    if (!failed) setForm({ shortcut: "", body: "", shared: false });
    changed(failed);
  }

  return (
    <div>
      <h2>Canned replies</h2>
      <p class="muted">
        Type <b>/shortcut</b> in the reply box, or use its Canned replies button. <b>{"{name}"}</b> becomes the customer's name,{" "}
        <b>{"{operator}"}</b> yours.
      </p>
      <form class="settings-form" onSubmit={(e) => void add(e)}>
        <label>
          Shortcut
          <input data-testid="canned-shortcut" required maxLength={32} placeholder="hello" value={form.shortcut} onInput={(e) => setForm({ ...form, shortcut: e.currentTarget.value })} />
        </label>
        <label>
          Text
          <textarea data-testid="canned-body" required rows={1} placeholder="Hi {name}, I'm {operator}. How can I help?" value={form.body} onInput={(e) => setForm({ ...form, body: e.currentTarget.value })} />
        </label>
        {admin && (
          <label>
            <span>
              <input type="checkbox" data-testid="canned-shared" checked={form.shared} onChange={(e) => setForm({ ...form, shared: e.currentTarget.checked })} /> For
              everyone
            </span>
          </label>
        )}
        <button type="submit" class="primary" data-testid="canned-add">
          Add
        </button>
      </form>
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      {replies === null ? (
        <p class="muted">Loading…</p>
      ) : replies.length === 0 ? (
        <p class="muted">No canned replies yet.</p>
      ) : (
        <table class="settings-table">
          <thead>
            <tr>
              <th>Shortcut</th>
              <th>Text</th>
              <th>Seen by</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {replies.map((reply) => (
              <ReplyRow key={`${reply.id}${reply.updatedAt}`} reply={reply} editable={!reply.shared || admin} onChanged={changed} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
