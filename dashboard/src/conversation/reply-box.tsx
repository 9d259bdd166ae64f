import { MAX_BODY_LENGTH, type CannedReply } from "@tandem/protocol";
import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";
import { CannedPicker, fillVariables, filterReplies } from "./canned-picker";

const TYPING_EVERY_MS = 3000;
const TYPING_IDLE_MS = 4000;

// A `/word` just before the caret, at the start or after a space, asks for canned replies.
const SLASH = /(^|\s)\/([\w-]{0,32})$/;

type Picker = { query: string; start: number | null; active: number };

/**
 * The operator's input: Enter sends, Shift+Enter for a new line; tells the
 * customer while typing. `/shortcut` or the button opens the canned replies;
 * the "Private note" tab writes a note only operators see.
 */
export function ReplyBox(props: {
  disabled: string | null;
  onSend: (body: string) => void;
  onTyping: (on: boolean) => void;
  onNote: (body: string) => Promise<string | null>;
  /** For the variables of canned replies. */
  customerName: string | null;
  operatorName: string;
  inputRef?: RefObject<HTMLTextAreaElement | null>;
  /** Text put in from outside (a prompter suggestion): replaces the draft, for editing. A new object each time. */
  draft?: { text: string } | null;
}) {
  const [text, setText] = useState("");
  const [note, setNote] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [picker, setPicker] = useState<Picker | null>(null);
  const lastTyping = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const own = useRef<HTMLTextAreaElement | null>(null);
  const body = text.trim();
  const matches = picker && replies ? filterReplies(replies, picker.query) : [];

  useEffect(() => () => clearTimeout(idle.current), []);

  useEffect(() => {
    if (!props.draft) return;
    const filled = props.draft.text;
    setNote(false);
    setText(filled);
    requestAnimationFrame(() => {
      own.current?.focus();
      own.current?.setSelectionRange(filled.length, filled.length);
    });
  }, [props.draft]);

  function loadReplies() {
    if (replies) return;
    setReplies([]);
    api.workbench.canned
      .$get()
      .then(async (r) => {
        const answer = await r.json();
        setReplies("error" in answer ? null : answer.replies);
      })
      .catch(() => setReplies(null));
  }

  function stopTyping() {
    clearTimeout(idle.current);
    if (lastTyping.current) props.onTyping(false);
    lastTyping.current = 0;
  }

  function input(el: HTMLTextAreaElement) {
    const value = el.value;
    setText(value);
    const slash = SLASH.exec(value.slice(0, el.selectionStart));
    if (slash) {
      loadReplies();
      setPicker({ query: slash[2], start: el.selectionStart - slash[2].length - 1, active: 0 });
    } else if (picker?.start !== null) setPicker(null);
    // Notes and canned-reply searches are not typing to the customer.
    if (note || slash) return;
    if (Date.now() - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = Date.now();
      props.onTyping(true);
    }
    clearTimeout(idle.current);
    idle.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  function pick(reply: CannedReply) {
    const el = own.current!;
    const filled = fillVariables(reply.body, { name: props.customerName, operator: props.operatorName });
    // Replace the `/word` typed, or insert where the caret is.
    const from = picker?.start ?? el.selectionStart;
    const to = picker?.start !== null ? el.selectionStart : el.selectionEnd;
    const next = text.slice(0, from) + filled + text.slice(to);
    setText(next);
    setPicker(null);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(from + filled.length, from + filled.length);
    });
  }

  async function submit() {
    if (!body) return;
    if (note) {
      const failed = await props.onNote(body);
      setProblem(failed);
      if (failed) return;
    } else {
      props.onSend(body);
      stopTyping();
    }
    setText("");
  }

  function onKeyDown(event: KeyboardEvent) {
    if (picker && matches.length) {
      const move = { ArrowDown: 1, ArrowUp: -1 }[event.key];
      if (move) {
        event.preventDefault();
        return setPicker({ ...picker, active: (picker.active + move + matches.length) % matches.length });
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        return pick(matches[Math.min(picker.active, matches.length - 1)]);
      }
    }
    if (picker && event.key === "Escape") {
      event.preventDefault();
      return setPicker(null);
    }
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void submit();
    }
  }

  function setRef(el: HTMLTextAreaElement | null) {
    own.current = el;
    if (props.inputRef) props.inputRef.current = el;
  }

  if (props.disabled && !note) {
    return (
      <div class="reply disabled">
        {props.disabled}{" "}
        <button type="button" class="ghost" data-testid="mode-note" onClick={() => setNote(true)}>
          Write a private note
        </button>
      </div>
    );
  }
  return (
    <form
      class={note ? "reply note-mode" : "reply"}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div class="reply-modes" role="tablist">
        <button type="button" role="tab" aria-selected={!note} data-testid="mode-reply" disabled={!!props.disabled} onClick={() => setNote(false)}>
          Reply
        </button>
        <button type="button" role="tab" aria-selected={note} data-testid="mode-note" onClick={() => setNote(true)}>
          Private note
        </button>
      </div>
      {picker && replies && <CannedPicker replies={matches} active={picker.active} onPick={pick} />}
      <textarea
        ref={setRef}
        data-testid="reply-input"
        placeholder={
          note
            ? "A note for operators only; the customer never sees it. (Enter to save)"
            : "Reply to the customer… (Enter to send, Shift+Enter for a new line, / for canned replies)"
        }
        aria-label={note ? "Private note" : "Reply"}
        maxLength={MAX_BODY_LENGTH}
        rows={3}
        value={text}
        onInput={(event) => input(event.currentTarget)}
        onKeyDown={onKeyDown}
        onBlur={() => setPicker(null)}
      />
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      <div class="reply-bar">
        <span>
          {!note && (
            <button
              type="button"
              class="ghost"
              data-testid="canned-open"
              title="Canned replies (/)"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                loadReplies();
                setPicker(picker ? null : { query: "", start: null, active: 0 });
                own.current?.focus();
              }}
            >
              Canned replies
            </button>
          )}
          <span class="muted">{text.length > MAX_BODY_LENGTH - 500 ? `${MAX_BODY_LENGTH - text.length} characters left` : ""}</span>
        </span>
        <button type="submit" class="primary" data-testid="reply-send" disabled={!body}>
          {note ? "Save note" : "Send"}
        </button>
      </div>
    </form>
  );
}
