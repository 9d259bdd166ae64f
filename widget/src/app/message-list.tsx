import type { Message } from "@tandem/protocol";
import { useEffect, useRef } from "preact/hooks";
import type { ChatState } from "./chat";
import { strings } from "./strings";

const time = (at: number) => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

function Bubble(props: { message: Message; showName: boolean }) {
  const { message } = props;
  if (message.kind === "system") {
    return (
      <li class="system" data-testid="tandem-message" data-author-kind={message.authorKind} data-seq={message.seq}>
        {message.body}
      </li>
    );
  }
  const mine = message.authorKind === "visitor";
  return (
    <li class={mine ? "row mine" : "row"} data-testid="tandem-message" data-author-kind={message.authorKind} data-seq={message.seq}>
      {props.showName && !mine && <div class="author">{message.authorName ?? strings.team}</div>}
      <div class="bubble">{message.body}</div>
      <div class="meta">{time(message.at)}</div>
    </li>
  );
}

function Pending(props: { body: string }) {
  return (
    <li class="row mine pending" data-testid="tandem-message" data-author-kind="visitor" data-pending="true">
      <div class="bubble">{props.body}</div>
      <div class="meta">{strings.sending}</div>
    </li>
  );
}

/** The conversation so far, newest at the bottom, announced to screen readers as it grows. */
export function MessageList(props: { state: ChatState }) {
  const messages = props.state.sync?.messages ?? [];
  const pending = [...(props.state.sync?.pending.map((e) => e.body) ?? []), ...props.state.drafts];
  const typing = props.state.sync?.typing;
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => end.current?.scrollIntoView({ block: "end" }), [messages.length, pending.length, typing]);

  return (
    <div class="messages" role="log" aria-live="polite" aria-relevant="additions">
      <ol>
        <li class="row">
          <div class="bubble">{strings.greeting}</div>
        </li>
        {messages.map((message, i) => (
          <Bubble key={message.seq} message={message} showName={messages[i - 1]?.authorId !== message.authorId} />
        ))}
        {pending.map((body, i) => (
          <Pending key={`p${i}`} body={body} />
        ))}
      </ol>
      {typing && typing.authorKind !== "visitor" && <div class="typing">{strings.typing(typing.name ?? strings.someone)}</div>}
      <div ref={end} />
    </div>
  );
}
