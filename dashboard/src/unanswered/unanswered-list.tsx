import type { IntentView, UnansweredGroup, UnansweredQuestion } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import { ago } from "../format";
import { hrefOf } from "../route";
import "./unanswered.css";

const REASONS: Record<UnansweredQuestion["reason"], string> = {
  low_confidence: "bot unsure",
  failed: "bot failed twice",
  offline: "offline request",
};

/**
 * What the bot could not answer (B5), grouped by similarity. An admin adds a
 * question to an intent as a phrasing (the bot matches it from the next
 * message on) or dismisses it; either takes it off the list.
 */
export function UnansweredList(props: { intents: IntentView[]; onAdded: () => void }) {
  const [groups, setGroups] = useState<UnansweredGroup[] | null>(null);
  // The intent picked per group; unset means the suggestion.
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function load() {
    try {
      const response = await api.unanswered.$get();
      if (!response.ok) return setProblem(await errorMessage(response));
      setGroups((await response.json()).groups);
    } catch {
      setProblem(OFFLINE);
    }
  }
  useEffect(() => void load(), []);

  async function act(group: UnansweredGroup, question: UnansweredQuestion, all: boolean, intentId: string | null) {
    setBusy(true);
    setNotice(null);
    try {
      const param = { id: question.id };
      const response = intentId ? await api.unanswered[":id"].add.$post({ param, json: { intentId, all } }) : await api.unanswered[":id"].dismiss.$post({ param, json: { all } });
      setProblem(response.ok ? null : await errorMessage(response));
      if (response.ok) {
        const name = props.intents.find((i) => i.id === intentId)?.name;
        setNotice(name ? `Added “${question.text}” to ${name}.` : all && group.size > 1 ? `Dismissed ${group.size} questions.` : "Dismissed.");
        if (intentId) props.onAdded();
      }
    } catch {
      setProblem(OFFLINE);
    }
    await load();
    setBusy(false);
  }

  const count = groups?.reduce((sum, g) => sum + g.size, 0) ?? 0;
  return (
    <section class="ua" data-testid="unanswered">
      <h3>
        Unanswered questions{" "}
        <span class="count" data-testid="ua-count">
          {count}
        </span>
        <button type="button" class="ghost small" onClick={() => void load()}>
          Refresh
        </button>
      </h3>
      <p class="muted small">What the bot handed to a person for want of an answer, alike questions together. Add one to an intent and the bot answers it from the next message on.</p>
      {problem && (
        <p class="form-error" role="alert" data-testid="ua-error">
          {problem}
        </p>
      )}
      {notice && <p data-testid="ua-notice">{notice}</p>}
      {groups === null ? (
        <p class="muted">Loading…</p>
      ) : groups.length === 0 ? (
        <p class="muted small" data-testid="ua-empty">
          Nothing unanswered.
        </p>
      ) : (
        groups.map((group) => {
          const intentId = picked[group.id] ?? group.suggestion?.intentId ?? "";
          const pick = (id: string) => setPicked((p) => ({ ...p, [group.id]: id }));
          return (
            <div class="ua-group" key={group.id} data-testid="ua-group" data-id={group.id}>
              <ul>
                {group.questions.map((q) => (
                  <li key={q.id} data-testid="ua-question">
                    <span class="ua-text">{q.text}</span>
                    <span class="badge">{(q.lang ?? "?").toUpperCase()}</span>
                    <span class="muted small">
                      {REASONS[q.reason]} · {ago(q.at)}
                    </span>
                    <a class="small" href={hrefOf({ view: "inbox", conversation: q.conversationId })} data-testid="ua-conversation">
                      Conversation
                    </a>
                    {group.size > 1 && (
                      <button type="button" class="ghost small" disabled={busy || !intentId} onClick={() => void act(group, q, false, intentId)} data-testid="ua-add-one">
                        Add only this one
                      </button>
                    )}
                  </li>
                ))}
              </ul>
              <div class="ua-actions">
                <select aria-label="Intent" value={intentId} onChange={(e) => pick(e.currentTarget.value)} data-testid="ua-intent">
                  <option value="">Choose an intent…</option>
                  {props.intents.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.name}
                      {i.enabled ? "" : " (off)"}
                      {i.id === group.suggestion?.intentId ? " — suggested" : ""}
                    </option>
                  ))}
                </select>
                <button type="button" class="primary" disabled={busy || !intentId} onClick={() => void act(group, group.questions[0], true, intentId)}
                  title={group.size > 1 ? `Adds the first question's words and takes all ${group.size} off the list` : undefined}
                  data-testid="ua-add"
                >
                  Add as phrasing
                </button>
                <button type="button" class="secondary" disabled={busy} onClick={() => void act(group, group.questions[0], true, null)} data-testid="ua-dismiss">
                  Dismiss{group.size > 1 ? ` all ${group.size}` : ""}
                </button>
              </div>
            </div>
          );
        })
      )}
    </section>
  );
}
