import { MODEL_LIMITS, type WorkspaceModelView } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import { KeyField } from "./key-field";

/**
 * The workspace's optional language model, asked when no intent matches well.
 * The key is write-only: the server says whether one is set, never what it is.
 */
export function ModelSettings() {
  const [view, setView] = useState<WorkspaceModelView | null>(null);
  const [form, setForm] = useState({ enabled: false, url: "", model: "", timeout: "", key: "", removeKey: false });
  const [state, setState] = useState<{ problem?: string; saved?: boolean }>({});

  function show(saved: WorkspaceModelView) {
    setView(saved);
    setForm({ enabled: saved.enabled, url: saved.url, model: saved.model, timeout: String(saved.timeoutMs), key: "", removeKey: false });
  }

  useEffect(() => {
    api.knowledge.model
      .$get()
      .then(async (response) => (response.ok ? show((await response.json()).model) : setState({ problem: await errorMessage(response) })))
      .catch(() => setState({ problem: OFFLINE }));
  }, []);

  async function save(event: Event) {
    event.preventDefault();
    // A key typed replaces the stored one; none typed keeps it, unless asked to remove it.
    const key = form.key.trim() ? form.key : form.removeKey ? null : undefined;
    const json = { enabled: form.enabled, url: form.url, model: form.model, timeoutMs: Number(form.timeout), ...(key === undefined ? {} : { key }) };
    try {
      const response = await api.knowledge.model.$put({ json });
      if (!response.ok) return setState({ problem: await errorMessage(response) });
      show((await response.json()).model);
      setState({ saved: true });
    } catch {
      setState({ problem: OFFLINE });
    }
  }

  const set = (change: Partial<typeof form>) => setForm({ ...form, ...change });
  return (
    <form class="group-card site-card" data-testid="model-settings" onSubmit={save} onInput={() => setState({})}>
      <h3>Language model</h3>
      <p class="muted small">
        Optional. When no intent matches well, the bot asks an OpenAI-compatible chat endpoint to answer from the knowledge base; if it fails or is slower than the timeout,
        the customer goes to an operator.
      </p>
      {view && (
        <>
          <label class="check">
            <input type="checkbox" checked={form.enabled} onInput={(e) => set({ enabled: e.currentTarget.checked })} data-testid="model-enabled" />
            Ask the model
          </label>
          <label>
            Endpoint URL <span class="muted small">like https://api.example.com/v1</span>
            <input inputMode="url" maxLength={MODEL_LIMITS.url} value={form.url} onInput={(e) => set({ url: e.currentTarget.value })} data-testid="model-url" />
          </label>
          <div class="team-fields">
            <label>
              Model
              <input maxLength={MODEL_LIMITS.model} value={form.model} onInput={(e) => set({ model: e.currentTarget.value })} data-testid="model-name" />
            </label>
            <label>
              Timeout <span class="muted small">ms, {MODEL_LIMITS.minTimeoutMs}–{MODEL_LIMITS.maxTimeoutMs}</span>
              <input type="number" step={100} value={form.timeout} onInput={(e) => set({ timeout: e.currentTarget.value })} data-testid="model-timeout" />
            </label>
          </div>
          <KeyField
            prefix="model"
            keySet={view.keySet}
            value={form.key}
            remove={form.removeKey}
            max={MODEL_LIMITS.key}
            onKey={(key) => set({ key })}
            onRemove={(removeKey) => set({ removeKey })}
          />
        </>
      )}
      {state.problem && (
        <p class="form-error" role="alert">
          {state.problem}
        </p>
      )}
      {view && (
        <div class="team-fields">
          <button class="primary" type="submit" data-testid="model-save">
            Save model
          </button>
          {state.saved && (
            <span class="muted" data-testid="model-saved">
              Saved.
            </span>
          )}
        </div>
      )}
    </form>
  );
}
