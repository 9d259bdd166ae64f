import type { Message } from "@tandem/protocol";
import { Component, createRef } from "preact";
import type { ChatState } from "./chat";
import { strings } from "./strings";

type Button = NonNullable<Message["buttons"]>[number];

const time = (at: number) => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** A system message in the reader's language when we know the event, else as the server wrote it. */
function systemText(message: Message): string {
  if (message.event === "joined" && message.authorName) return strings.joined(message.authorName);
  if (message.event === "closed") return strings.ended;
  return message.body;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'»]/gi;

/** Text with its http(s) links made clickable; everything else stays text, never HTML. */
export function linkify(text: string) {
  const parts: (string | preact.JSX.Element)[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    parts.push(text.slice(last, match.index));
    parts.push(
      <a href={match[0]} target="_blank" rel="noopener noreferrer">
        {match[0]}
      </a>,
    );
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

function Item(props: { message: Message; showName: boolean; read: number; buttons?: (button: Button) => void }) {
  const { message } = props;
  const common = { "data-author-kind": message.authorKind, "data-seq": message.seq };
  if (message.kind === "system") {
    return (
      <li class="system" {...common}>
        {systemText(message)}
      </li>
    );
  }
  const mine = message.authorKind === "visitor";
  const receipt = mine && (message.seq <= props.read ? "read" : "delivered");
  return (
    <li class={mine ? "row mine" : "row"} {...common} data-receipt={receipt || undefined}>
      {props.showName && !mine && <div class="author">{message.authorName ?? strings.team}</div>}
      <div class="bubble">{linkify(message.body)}</div>
      <div class="meta">
        {time(message.at)}
        {receipt && (
          <span class={receipt} aria-label={strings[receipt]}>
            {receipt === "read" ? " ✓✓" : " ✓"}
          </span>
        )}
      </div>
      {props.buttons && message.buttons?.length ? (
        <div class="buttons">
          {message.buttons.map((button) => (
            <button type="button" onClick={() => props.buttons!(button)}>
              {button.label}
            </button>
          ))}
        </div>
      ) : null}
    </li>
  );
}

/**
 * The conversation so far, newest at the bottom, read out to screen readers
 * as it grows. A message the server refused for good can be edited (its
 * text goes back to the input) or removed; earlier messages load on request.
 */
type Props = { state: ChatState; onButton: (button: Button) => void; onEdit: (clientMsgId: string) => void; onRemove: (clientMsgId: string) => void; onOlder: () => void };

export class MessageList extends Component<Props> {
  #list = createRef<HTMLDivElement>();
  #shown = "";

  componentDidMount() {
    this.componentDidUpdate();
  }

  // A new line scrolls to the bottom, and so does the footer changing height when the conversation
  // closes; other updates leave alone a reader who scrolled up.
  componentDidUpdate() {
    const { sync, drafts } = this.props.state;
    // The last seq, not the count: earlier messages coming in at the top leave the reader where they are.
    const shown = `${sync?.messages.at(-1)?.seq} ${sync?.pending.length} ${sync?.failed.length} ${drafts.length} ${!!sync?.typing} ${sync?.conversation?.status}`;
    if (shown === this.#shown) return;
    this.#shown = shown;
    const element = this.#list.current!;
    element.scrollTop = element.scrollHeight;
  }

  render() {
    const { sync, drafts, site } = this.props.state;
    const read = sync?.read.operator ?? 0;
    const messages = sync?.messages ?? [];
    const pending = [...(sync?.pending.map((entry) => entry.body) ?? []), ...drafts];
    const typing = sync?.typing;
    const { onEdit, onRemove } = this.props;
    return (
      <div class="messages" ref={this.#list} role="log" aria-live="polite">
        <ol>
          {sync?.older ? (
            <li class="system">
              <button type="button" class="older" onClick={this.props.onOlder}>
                {strings.earlier}
              </button>
            </li>
          ) : (
            <li class="row">
              <div class="bubble">{site?.look.greeting ?? strings.greeting}</div>
            </li>
          )}
          {messages.map((message, i) => (
            <Item
              key={message.seq}
              message={message}
              read={read}
              // Quick replies only on the last message: older ones were answered already.
              buttons={i === messages.length - 1 ? this.props.onButton : undefined}
              showName={messages[i - 1]?.authorId !== message.authorId || messages[i - 1]?.kind === "system"}
            />
          ))}
          {pending.map((body, i) => (
            <li key={`p${i}`} class="row mine pending" data-author-kind="visitor" data-pending="true">
              <div class="bubble">{body}</div>
              <div class="meta">{sync?.waiting || this.props.state.held ? strings.held : strings.sending}</div>
            </li>
          ))}
          {sync?.failed.map(({ clientMsgId, body }) => (
            <li key={clientMsgId} class="row mine failed" data-failed="true">
              <div class="bubble">{body}</div>
              <div class="meta">
                {strings.notSent} <button type="button" onClick={() => onEdit(clientMsgId)}>{strings.edit}</button> ·{" "}
                <button type="button" onClick={() => onRemove(clientMsgId)}>{strings.remove}</button>
              </div>
            </li>
          ))}
        </ol>
        {typing && typing.authorKind !== "visitor" && (
          <div class="typing">{strings.typing(typing.name ?? site?.name ?? strings.team)}</div>
        )}
      </div>
    );
  }
}
