import { MAX_BODY_LENGTH } from "@tandem/protocol";
import { useRef, useState } from "preact/hooks";
import { strings } from "./strings";

const TYPING_EVERY_MS = 3000;
const TYPING_IDLE_MS = 4000;

/** The input: Enter sends, Shift+Enter starts a new line; tells the other side while the customer types. */
export function Composer(props: { onSend: (body: string) => void; onTyping: (typing: boolean) => void }) {
  const [text, setText] = useState("");
  const lastTyping = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const body = text.trim();
  const left = MAX_BODY_LENGTH - text.length;

  function stopTyping() {
    clearTimeout(idle.current);
    if (lastTyping.current) props.onTyping(false);
    lastTyping.current = 0;
  }

  function input(value: string) {
    setText(value);
    const now = Date.now();
    if (now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      props.onTyping(true);
    }
    clearTimeout(idle.current);
    idle.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  function send() {
    if (!body || left < 0) return;
    props.onSend(body);
    setText("");
    stopTyping();
  }

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <textarea
        data-testid="tandem-input"
        aria-label={strings.placeholder}
        placeholder={strings.placeholder}
        rows={1}
        maxLength={MAX_BODY_LENGTH}
        value={text}
        onInput={(event) => input(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            send();
          }
        }}
      />
      <button type="submit" class="send" data-testid="tandem-send" disabled={!body} aria-label={strings.send}>
        <svg width="20" height="20" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true">
          <path d="M3 20.5 21 12 3 3.5l.01 6.6L15 12 3.01 13.9z" />
        </svg>
      </button>
      {left < 500 && <div class="counter">{strings.tooLong(left)}</div>}
    </form>
  );
}
