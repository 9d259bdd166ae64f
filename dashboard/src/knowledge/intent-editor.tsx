import type { IntentView, TeamGroup } from "@tandem/protocol";
import { useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import { bodyOf, draftOf, keyOf, LANG_LABEL, LANGS, OPERATOR, texts, type Draft } from "./draft";

const FIELDS = ["name", "email", "phone", "order"] as const;

/** One intent's editor: a new one when `intent` is undefined. Calls `onSaved` with what the server kept. */
export function IntentEditor(props: { intent?: IntentView; intents: IntentView[]; groups: TeamGroup[]; onSaved: (intent: IntentView) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(props.intent));
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });

  async function save(event: Event) {
    event.preventDefault();
    setSaving(true);
    try {
      const json = bodyOf(draft);
      const response = props.intent ? await api.knowledge[":id"].$put({ param: { id: props.intent.id }, json }) : await api.knowledge.$post({ json });
      if (!response.ok) return setProblem(await errorMessage(response));
      setProblem(null);
      props.onSaved((await response.json()).intent);
    } catch {
      setProblem(OFFLINE);
    } finally {
      setSaving(false);
    }
  }

  const targets = props.intents.filter((i) => i.id !== props.intent?.id);
  return (
    <form class="kb-editor" onSubmit={save} data-testid="intent-editor">
      <h3>{props.intent ? `Edit “${props.intent.name}”` : "New intent"}</h3>
      {problem && (
        <p class="form-error" role="alert" data-testid="intent-error">
          {problem}
        </p>
      )}
      <div class="team-fields">
        <label>
          Name{" "}
          <input
            required
            maxLength={100}
            value={draft.name}
            data-testid="intent-name"
            onInput={(e) => {
              const name = e.currentTarget.value;
              // A new intent's key follows its name until someone types one.
              set(!props.intent && draft.key === keyOf(draft.name) ? { name, key: keyOf(name) } : { name });
            }}
          />
        </label>
        <label>
          Key <input required maxLength={64} value={draft.key} data-testid="intent-key" onInput={(e) => set({ key: e.currentTarget.value })} />
        </label>
        <label>
          Group{" "}
          <select value={draft.groupId} data-testid="intent-group" onChange={(e) => set({ groupId: e.currentTarget.value })}>
            <option value="">No group</option>
            {props.groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <label class="small">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} /> Enabled
        </label>
      </div>
      <div class="kb-langs">
        {LANGS.map((lang) => (
          <div key={lang} class="kb-lang">
            <h4>{LANG_LABEL[lang]}</h4>
            <label>
              Phrasings, one per line
              <textarea
                rows={5}
                value={draft.phrasings[lang]}
                data-testid={`phrasings-${lang}`}
                onInput={(e) => set({ phrasings: { ...draft.phrasings, [lang]: e.currentTarget.value } })}
              />
            </label>
            <label>
              Answer
              <textarea rows={4} maxLength={2000} value={draft.answer[lang]} data-testid={`answer-${lang}`} onInput={(e) => set({ answer: { ...draft.answer, [lang]: e.currentTarget.value } })} />
            </label>
          </div>
        ))}
      </div>
      <h4>Buttons under the answer</h4>
      {draft.buttons.map((button, index) => {
        const update = (change: Partial<Draft["buttons"][number]>) => set({ buttons: draft.buttons.map((b, i) => (i === index ? { ...b, ...change } : b)) });
        return (
          <div key={index} class="team-fields" data-testid="intent-button">
            <select aria-label="Leads to" value={button.target} onChange={(e) => update({ target: e.currentTarget.value })}>
              <option value={OPERATOR}>Talk to an operator</option>
              {targets.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.name}
                </option>
              ))}
            </select>
            {LANGS.map((lang) => (
              <input
                key={lang}
                aria-label={`Label, ${LANG_LABEL[lang]}`}
                placeholder={`Label (${lang})`}
                maxLength={60}
                value={button.label[lang]}
                onInput={(e) => update({ label: { ...button.label, [lang]: e.currentTarget.value } })}
              />
            ))}
            <button type="button" class="ghost" onClick={() => set({ buttons: draft.buttons.filter((_, i) => i !== index) })}>
              Remove
            </button>
          </div>
        );
      })}
      <div>
        <button type="button" class="secondary" data-testid="add-button" onClick={() => set({ buttons: [...draft.buttons, { label: texts(), target: targets[0]?.key ?? OPERATOR }] })}>
          Add a button
        </button>
      </div>
      <h4>Ask the customer for</h4>
      {draft.collect.map((field, index) => {
        const update = (change: Partial<Draft["collect"][number]>) => set({ collect: draft.collect.map((c, i) => (i === index ? { ...c, ...change } : c)) });
        return (
          <div key={index} class="team-fields" data-testid="intent-collect">
            <select aria-label="Field" value={field.field} onChange={(e) => update({ field: e.currentTarget.value as (typeof FIELDS)[number] })}>
              {FIELDS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
            {LANGS.map((lang) => (
              <input
                key={lang}
                aria-label={`Question, ${LANG_LABEL[lang]}`}
                placeholder={`Question (${lang})`}
                maxLength={300}
                value={field.prompt[lang]}
                onInput={(e) => update({ prompt: { ...field.prompt, [lang]: e.currentTarget.value } })}
              />
            ))}
            <button type="button" class="ghost" onClick={() => set({ collect: draft.collect.filter((_, i) => i !== index) })}>
              Remove
            </button>
          </div>
        );
      })}
      <div>
        <button type="button" class="secondary" onClick={() => set({ collect: [...draft.collect, { field: "email", prompt: texts() }] })}>
          Add a field
        </button>
      </div>
      <div class="dialog-actions">
        <button type="button" class="ghost" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={saving} data-testid="intent-save">
          Save
        </button>
      </div>
    </form>
  );
}
