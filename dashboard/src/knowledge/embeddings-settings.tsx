import { EMBEDDINGS_LIMITS, type EmbeddingsAnswer, type EmbeddingsStatus, type WorkspaceEmbeddingsView } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import { KeyField } from "./key-field";

/** While vectors are pending the page asks again this often. */
const POLL_MS = 3000;

/**
 * The semantic tier (issue 19): the workspace's embeddings provider, and
 * where the knowledge base's vectors are — embedded, pending, failed with
 * the provider's last error, and a retry. The key is write-only.
 */
export function EmbeddingsSettings() {
  const [view, setView] = useState<WorkspaceEmbeddingsView | null>(null);
  const [status, setStatus] = useState<EmbeddingsStatus | null>(null);
  const [form, setForm] = useState({ enabled: false, provider: "openai" as WorkspaceEmbeddingsView["provider"], url: "", model: "", timeout: "", key: "", removeKey: false });
  const [state, setState] = useState<{ problem?: string; saved?: boolean }>({});

  function show(answer: EmbeddingsAnswer, resetForm: boolean) {
    setStatus(answer.status);
    if (!resetForm) return;
    const saved = answer.embeddings;
    setView(saved);
    setForm({ enabled: saved.enabled, provider: saved.provider, url: saved.url, model: saved.model, timeout: String(saved.timeoutMs), key: "", removeKey: false });
  }

  async function refresh(resetForm: boolean) {
    try {
      const response = await api.knowledge.embeddings.$get();
      if (!response.ok) return setState({ problem: await errorMessage(response) });
      show(await response.json(), resetForm);
    } catch {
      setState({ problem: OFFLINE });
    }
  }

  useEffect(() => void refresh(true), []);
  // Pending vectors are on their way: the counts follow them (and the request reminds the embedder).
  useEffect(() => {
    if (!status || !view?.enabled || status.pending === 0) return;
    const timer = setTimeout(() => void refresh(false), POLL_MS);
    return () => clearTimeout(timer);
  }, [status, view]);

  async function save(event: Event) {
    event.preventDefault();
    const key = form.key.trim() ? form.key : form.removeKey ? null : undefined;
    const json = { enabled: form.enabled, provider: form.provider, url: form.url, model: form.model, timeoutMs: Number(form.timeout), ...(key === undefined ? {} : { key }) };
    try {
      const response = await api.knowledge.embeddings.$put({ json });
      if (!response.ok) return setState({ problem: await errorMessage(response) });
      show(await response.json(), true);
      setState({ saved: true });
    } catch {
      setState({ problem: OFFLINE });
    }
  }

  async function retry() {
    try {
      const response = await api.knowledge.embeddings.retry.$post();
      if (!response.ok) return setState({ problem: await errorMessage(response) });
      show(await response.json(), false);
    } catch {
      setState({ problem: OFFLINE });
    }
  }

  const set = (change: Partial<typeof form>) => setForm({ ...form, ...change });
  const workersAi = form.provider === "workers-ai";
  return (
    <form class="group-card site-card" data-testid="embeddings-settings" onSubmit={save} onInput={() => setState({})}>
      <h3>Meaning-based matching</h3>
      <p class="muted small">
        Optional. An embeddings model turns each phrasing into a vector, so the bot also finds questions worded unlike any phrasing. If the provider fails or is slower than
        the timeout, the word matcher answers alone.
      </p>
      {view && status && (
        <>
          <label class="check">
            <input type="checkbox" checked={form.enabled} onInput={(e) => set({ enabled: e.currentTarget.checked })} data-testid="embeddings-enabled" />
            Match by meaning
          </label>
          <label>
            Provider
            <select value={form.provider} onInput={(e) => set({ provider: e.currentTarget.value as typeof form.provider })} data-testid="embeddings-provider">
              <option value="openai">OpenAI-compatible endpoint (OpenAI, Ollama, TEI…)</option>
              <option value="workers-ai" disabled={!status.workersAi}>
                Cloudflare Workers AI{status.workersAi ? "" : " (not on this deployment)"}
              </option>
            </select>
          </label>
          {!workersAi && (
            <label>
              Endpoint URL <span class="muted small">like https://api.example.com/v1</span>
              <input inputMode="url" maxLength={EMBEDDINGS_LIMITS.url} value={form.url} onInput={(e) => set({ url: e.currentTarget.value })} data-testid="embeddings-url" />
            </label>
          )}
          <div class="team-fields">
            <label>
              Model <span class="muted small">{EMBEDDINGS_LIMITS.dimensions} dimensions</span>
              <input
                maxLength={EMBEDDINGS_LIMITS.model}
                value={form.model}
                placeholder={workersAi ? EMBEDDINGS_LIMITS.workersAiModel : "bge-m3"}
                onInput={(e) => set({ model: e.currentTarget.value })}
                data-testid="embeddings-model"
              />
            </label>
            <label>
              Timeout <span class="muted small">ms per message, {EMBEDDINGS_LIMITS.minTimeoutMs}–{EMBEDDINGS_LIMITS.maxTimeoutMs}</span>
              <input type="number" step={50} value={form.timeout} onInput={(e) => set({ timeout: e.currentTarget.value })} data-testid="embeddings-timeout" />
            </label>
          </div>
          {!workersAi && (
            <KeyField
              prefix="embeddings"
              keySet={view.keySet}
              value={form.key}
              remove={form.removeKey}
              max={EMBEDDINGS_LIMITS.key}
              onKey={(key) => set({ key })}
              onRemove={(removeKey) => set({ removeKey })}
            />
          )}
          <VectorStatus status={status} enabled={view.enabled} onRetry={() => void retry()} />
        </>
      )}
      {state.problem && (
        <p class="form-error" role="alert">
          {state.problem}
        </p>
      )}
      {view && (
        <div class="team-fields">
          <button class="primary" type="submit" data-testid="embeddings-save">
            Save
          </button>
          {state.saved && (
            <span class="muted" data-testid="embeddings-saved">
              Saved.
            </span>
          )}
        </div>
      )}
    </form>
  );
}

/** The phrasings' vectors: how many are ready, on their way, or failed with the provider's words. */
function VectorStatus({ status, enabled, onRetry }: { status: EmbeddingsStatus; enabled: boolean; onRetry: () => void }) {
  if (!enabled) return null;
  return (
    <div class="embeddings-status" data-testid="embeddings-status">
      <p>
        <strong data-testid="embeddings-embedded">{status.embedded}</strong> of {status.phrasings} phrasings embedded ·{" "}
        <span data-testid="embeddings-pending">{status.pending}</span> pending ·{" "}
        <span data-testid="embeddings-failed" class={status.failed ? "failed" : undefined}>
          {status.failed}
        </span>{" "}
        failed
      </p>
      <p class="muted small" data-testid="embeddings-state">
        {status.active ? "The bot matches by meaning as well as by words." : `Not in use: ${status.reason}.`}
      </p>
      {status.lastError && (
        <p class="small" data-testid="embeddings-error">
          Provider's last error: <code>{status.lastError}</code>
        </p>
      )}
      {status.failed > 0 && (
        <button type="button" class="ghost" onClick={onRetry} data-testid="embeddings-retry">
          Retry failed
        </button>
      )}
    </div>
  );
}
