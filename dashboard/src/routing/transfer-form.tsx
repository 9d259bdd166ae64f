import type { ConversationSummary } from "@tandem/protocol";
import { useState } from "preact/hooks";
import { transfer, useTargets } from "./use-targets";

/** The small picker: a group or an operator, and a note only operators will see. */
export function TransferForm(props: { conversation: ConversationSummary; onDone: () => void }) {
  const { conversation } = props;
  const targets = useTargets(true);
  const [choice, setChoice] = useState("");
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (!choice) return setProblem("Pick a group or an operator.");
    setBusy(true);
    const [kind, id] = choice.split(":");
    const failed = await transfer(conversation.id, kind === "group" ? { groupId: id } : { operatorId: id }, note.trim());
    setBusy(false);
    if (failed) setProblem(failed);
    else props.onDone();
  }

  const others = targets?.operators.filter((o) => o.id !== conversation.assignee?.id) ?? [];
  return (
    <form class="transfer" data-testid="transfer-form" onSubmit={(event) => void submit(event)} onKeyDown={(e) => e.key === "Escape" && props.onDone()}>
      <label>
        To
        <select data-testid="transfer-target" value={choice} onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{targets ? "Choose…" : "Loading…"}</option>
          {!!targets?.groups.length && (
            <optgroup label="Groups">
              {targets.groups.map((g) => (
                <option value={`group:${g.id}`}>{g.name}</option>
              ))}
            </optgroup>
          )}
          {!!others.length && (
            <optgroup label="Operators">
              {others.map((o) => (
                <option value={`operator:${o.id}`} disabled={o.presence === "offline"}>
                  {o.name} · {o.presence} · {o.load}/{o.maxChats}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <label>
        Note for the next operator (the customer does not see it)
        <textarea data-testid="transfer-note" maxLength={2000} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      <div class="transfer-actions">
        <button type="button" class="ghost" onClick={props.onDone}>
          Cancel
        </button>
        <button type="submit" class="primary" data-testid="transfer-submit" disabled={busy}>
          Transfer
        </button>
      </div>
    </form>
  );
}
