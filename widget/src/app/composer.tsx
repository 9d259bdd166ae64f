import { MAX_BODY_LENGTH } from "@tandem/protocol";
import { Component, createRef } from "preact";
import { strings } from "./strings";

// "Typing" goes out at most this often while keys keep coming, and "stopped" after this much quiet.
const TYPING_EVERY_MS = 3000;
const TYPING_IDLE_MS = 4000;

type Props = {
  /** A text to put in the box (a message that was not sent, to edit); each new object fills it again. */
  fill?: { text: string };
  onSend: (body: string) => void;
  onTyping: (typing: boolean) => void;
  /** The customer started to write (each keystroke). */
  onWrite: () => void;
};

/** The input: Enter sends, Shift+Enter starts a new line; the other side hears that the customer is typing. */
export class Composer extends Component<Props, { text: string }> {
  state = { text: "" };
  #input = createRef<HTMLTextAreaElement>();
  #lastTyping = 0;
  #idle?: ReturnType<typeof setTimeout>;

  componentDidMount() {
    this.#input.current!.focus();
  }

  // Grow with the text up to the CSS max-height, then scroll.
  componentDidUpdate(props: Props, previous: { text: string }) {
    const { fill } = this.props;
    if (fill && fill !== props.fill) {
      this.setState({ text: fill.text });
      this.#input.current!.focus();
    }
    if (previous.text === this.state.text) return;
    const element = this.#input.current!;
    element.style.height = "";
    element.style.height = `${element.scrollHeight + 2}px`;
  }

  componentWillUnmount() {
    this.#stopTyping();
  }

  #change(text: string) {
    this.setState({ text });
    this.props.onWrite();
    const now = Date.now();
    if (now - this.#lastTyping > TYPING_EVERY_MS) {
      this.#lastTyping = now;
      this.props.onTyping(true);
    }
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.#stopTyping(), TYPING_IDLE_MS);
  }

  #stopTyping() {
    clearTimeout(this.#idle);
    if (this.#lastTyping) this.props.onTyping(false);
    this.#lastTyping = 0;
  }

  #send() {
    const body = this.state.text.trim();
    if (!body) return;
    this.props.onSend(body);
    this.setState({ text: "" });
    this.#stopTyping();
  }

  render() {
    const { text } = this.state;
    return (
      <form
        class="composer"
        onSubmit={(event) => {
          event.preventDefault();
          this.#send();
        }}
      >
        <textarea
          ref={this.#input}
          aria-label={strings.placeholder}
          placeholder={strings.placeholder}
          rows={1}
          maxLength={MAX_BODY_LENGTH}
          value={text}
          onInput={(event) => this.#change(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
              event.preventDefault();
              this.#send();
            }
          }}
        />
        <button type="submit" class="send" disabled={!text.trim()} aria-label={strings.send}>
          <svg width="20" height="20" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true">
            <path d="M3 20.5 21 12 3 3.5l.01 6.6L15 12 3.01 13.9z" />
          </svg>
        </button>
      </form>
    );
  }
}
