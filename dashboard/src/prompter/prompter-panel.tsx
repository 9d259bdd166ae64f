import type { Message, PrompterSuggestions } from "@tandem/protocol";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";
import "./prompter.css";

type Shown = PrompterSuggestions & { id: string; seq: number };

/** The seq of the customer's latest message, and whether an operator has answered it since. */
function latest(messages: Message[], pending: number) {
  let seq = 0;
  let answered = pending > 0;
  for (let i = messages.length - 1; i >= 0 && !seq; i--) {
    const m = messages[i];
    if (m.authorKind === "visitor") seq = m.seq;
    else if (m.authorKind === "operator") answered = true;
  }
  return { seq, answered };
}

/**
 * The prompter (D9): answers from the knowledge base for the customer's latest
 * message, just above the reply box. "Use" puts one in the box for editing
 * (the card stays, marked used), "×" hides it; both are recorded so the
 * ranking learns (B6). Asks again when
 * the customer writes; hides once the operator has answered.
 */
export function PrompterPanel(props: {
  id: string;
  active: boolean;
  messages: Message[];
  pending: number;
  onUse: (text: string) => void;
}) {
  const { seq, answered } = latest(props.messages, props.pending);
  const [shown, setShown] = useState<Shown | null>(null);
  /** Per intent: true once used, false once hidden. */
  const [judged, setJudged] = useState<Record<string, boolean>>({});
  const wanted = props.active && seq > 0;
  const box = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!wanted) return;
    let stale = false;
    api.prompter.conversations[":id"].suggestions
      .$get({ param: { id: props.id } })
      .then(async (response) => {
        if (!response.ok || stale) return;
        const answer = (await response.json()) as PrompterSuggestions;
        if (stale) return;
        setShown({ ...answer, id: props.id, seq });
        setJudged({});
      })
      // Suggestions are a help, not the work: without them the reply box is as before.
      .catch(() => {});
    return () => {
      stale = true;
    };
  }, [props.id, seq, wanted]);

  const question = shown?.question;
  const list = shown && shown.id === props.id && shown.seq === seq && question ? shown.suggestions.filter((s) => judged[s.intentId] !== false) : [];
  const visible = wanted && !answered && !!question && list.length > 0;

  // The panel takes its height from the messages above: keep the customer's
  // latest message in view when the list was at its end before it appeared.
  useLayoutEffect(() => {
    const panel = box.current;
    const messages = panel?.parentElement?.querySelector<HTMLElement>(".messages");
    if (!panel || !messages) return;
    if (messages.scrollHeight - messages.scrollTop - messages.clientHeight < panel.offsetHeight + 40) messages.scrollTop = messages.scrollHeight;
  }, [visible, shown]);

  if (!visible) return null;

  function judge(intentId: string, suggestion: string, accepted: boolean) {
    setJudged((j) => ({ ...j, [intentId]: accepted }));
    if (accepted) props.onUse(suggestion);
    api.prompter.conversations[":id"].feedback
      .$post({ param: { id: props.id }, json: { intentId, question: question!.text, suggestion, accepted } })
      .catch(() => {});
  }

  return (
    <ul ref={box} class="prompter" data-testid="prompter" aria-label="Suggested answers">
      {list.map((s) => (
        <li key={s.intentId} class="suggestion" data-testid="suggestion" data-intent={s.name}>
          <div class="suggestion-head">
            <strong>{s.name}</strong>
            {!judged[s.intentId] && (
              <button type="button" class="ghost" data-testid="suggestion-reject" title="Not this one" aria-label={`Hide "${s.name}"`} onClick={() => judge(s.intentId, s.text, false)}>
                ×
              </button>
            )}
          </div>
          <p class="suggestion-text">{s.text}</p>
          <button type="button" class="secondary" data-testid="suggestion-use" disabled={judged[s.intentId]} onClick={() => judge(s.intentId, s.text, true)}>
            {judged[s.intentId] ? "Used" : "Use"}
          </button>
        </li>
      ))}
    </ul>
  );
}
