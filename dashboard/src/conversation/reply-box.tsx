import { MAX_BODY_LENGTH } from "@tandem/protocol";
import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

const TYPING_EVERY_MS = 3000;
const TYPING_IDLE_MS = 4000;

/** The operator's input: Enter sends, Shift+Enter for a new line; tells the customer while typing. */
export function ReplyBox(props: {
  disabled: string | null;
  onSend: (body: string) => void;
  onTyping: (on: boolean) => void;
  inputRef?: RefObject<HTMLTextAreaElement | null>;
}) {
  const [text, setText] = useState("");
  const lastTyping = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const body = text.trim();

  useEffect(() => () => clearTimeout(idle.current), []);

  function stopTyping() {
    clearTimeout(idle.current);
    if (lastTyping.current) props.onTyping(false);
    lastTyping.current = 0;
  }

  function input(value: string) {
    setText(value);
    if (Date.now() - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = Date.now();
      props.onTyping(true);
    }
    clearTimeout(idle.current);
    idle.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  function send() {
    if (!body) return;
    props.onSend(body);
    setText("");
    stopTyping();
  }

  if (props.disabled) return <div class="reply disabled">{props.disabled}</div>;
  return (
    <form
      class="reply"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <textarea
        ref={props.inputRef}
        data-testid="reply-input"
        placeholder="Reply to the customer… (Enter to send, Shift+Enter for a new line)"
        aria-label="Reply"
        maxLength={MAX_BODY_LENGTH}
        rows={3}
        value={text}
        onInput={(event) => input(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            send();
          }
        }}
      />
      <div class="reply-bar">
        <span class="muted">{text.length > MAX_BODY_LENGTH - 500 ? `${MAX_BODY_LENGTH - text.length} characters left` : ""}</span>
        <button type="submit" class="primary" data-testid="reply-send" disabled={!body}>
          Send
        </button>
      </div>
    </form>
  );
}
