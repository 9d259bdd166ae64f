import type { Message } from "@tandem/protocol";
import { Component, createRef } from "preact";
import type { ChatState } from "./chat";
import { strings } from "./strings";

const time = (at: number) => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** A system message in the reader's language when we know the event, else as the server wrote it. */
function systemText(message: Message): string {
  if (message.event === "joined" && message.authorName) return strings.joined(message.authorName);
  if (message.event === "closed") return strings.closedNotice;
  return message.body;
}

function Item(props: { message: Message; showName: boolean }) {
  const { message } = props;
  const common = { "data-testid": "tandem-message", "data-author-kind": message.authorKind, "data-seq": message.seq };
  if (message.kind === "system") {
    return (
      <li class="system" {...common}>
        {systemText(message)}
      </li>
    );
  }
  const mine = message.authorKind === "visitor";
  return (
    <li class={mine ? "row mine" : "row"} {...common}>
      {props.showName && !mine && <div class="author">{message.authorName ?? strings.team}</div>}
      <div class="bubble">{message.body}</div>
      <time class="meta" dateTime={new Date(message.at).toISOString()}>
        {time(message.at)}
      </time>
    </li>
  );
}

function Pending(props: { body: string; unsent: boolean }) {
  return (
    <li class="row mine pending" data-testid="tandem-message" data-author-kind="visitor" data-pending="true">
      <div class="bubble">{props.body}</div>
      <div class="meta">{props.unsent ? strings.notSent : strings.sending}</div>
    </li>
  );
}

/** The conversation so far, newest at the bottom, read out to screen readers as it grows. */
export class MessageList extends Component<{ state: ChatState }> {
  list = createRef<HTMLDivElement>();
  shown = "";

  componentDidMount() {
    this.componentDidUpdate();
  }

  // A new line scrolls to the bottom, and so does the footer changing height when the conversation
  // closes; other updates leave alone a reader who scrolled up.
  componentDidUpdate() {
    const { sync, drafts } = this.props.state;
    const shown = `${sync?.messages.length} ${sync?.pending.length} ${drafts.length} ${!!sync?.typing} ${sync?.conversation?.status}`;
    if (shown === this.shown) return;
    this.shown = shown;
    const element = this.list.current!;
    element.scrollTop = element.scrollHeight;
  }

  render() {
    const { sync, drafts, connection, siteName } = this.props.state;
    const messages = sync?.messages ?? [];
    const pending = [...(sync?.pending.map((entry) => entry.body) ?? []), ...drafts];
    const typing = sync?.typing;
    return (
      <div class="messages" ref={this.list} role="log" aria-live="polite">
        <ol>
          <li class="row">
            <div class="bubble">{strings.greeting}</div>
          </li>
          {messages.map((message, i) => (
            <Item
              key={message.seq}
              message={message}
              showName={messages[i - 1]?.authorId !== message.authorId || messages[i - 1]?.kind === "system"}
            />
          ))}
          {pending.map((body, i) => (
            <Pending key={`p${i}`} body={body} unsent={connection === "offline" || connection === "refused"} />
          ))}
        </ol>
        {typing && typing.authorKind !== "visitor" && (
          <div class="typing">{strings.typing(typing.name ?? siteName ?? strings.team)}</div>
        )}
      </div>
    );
  }
}
