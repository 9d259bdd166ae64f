import type { Message, OutboxEntry } from "@tandem/protocol";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import { clock, day } from "../format";

function MessageItem(props: { message: Message; showName: boolean }) {
  const { message } = props;
  if (message.kind === "system") {
    return (
      <li class="msg system" data-testid="message" data-author-kind={message.authorKind} data-seq={message.seq}>
        {message.body} · {clock(message.at)}
      </li>
    );
  }
  const ours = message.authorKind !== "visitor";
  return (
    <li class={ours ? "msg ours" : "msg"} data-testid="message" data-author-kind={message.authorKind} data-seq={message.seq}>
      {props.showName && <div class="msg-author">{ours ? (message.authorName ?? "Bot") : "Customer"}</div>}
      <div class="bubble">{message.body}</div>
      <div class="msg-time">{clock(message.at)}</div>
    </li>
  );
}

/**
 * The whole history, in seq order with day separators. Scrolling to the top
 * asks for the page before; new messages keep the view at the bottom when the
 * operator was already there.
 */
export function MessageList(props: {
  messages: Message[];
  pending: OutboxEntry[];
  more: boolean;
  onLoadOlder: () => Promise<void>;
  typing: string | null;
}) {
  const { messages, pending } = props;
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const heightBefore = useRef(0);
  const firstSeq = messages[0]?.seq;

  // After older messages arrive above, keep the same messages under the reader's eyes.
  useLayoutEffect(() => {
    const el = box.current;
    if (el && heightBefore.current) {
      el.scrollTop += el.scrollHeight - heightBefore.current;
      heightBefore.current = 0;
    }
  }, [firstSeq]);

  useEffect(() => {
    const el = box.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, pending.length, props.typing]);

  async function onScroll() {
    const el = box.current!;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (el.scrollTop < 60 && props.more && !heightBefore.current) {
      heightBefore.current = el.scrollHeight;
      await props.onLoadOlder();
    }
  }

  const items = [];
  let lastDay = "";
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    const label = day(message.at);
    if (label !== lastDay) {
      items.push(
        <li class="day" key={`d${message.seq}`}>
          <span>{label}</span>
        </li>,
      );
      lastDay = label;
    }
    const previous = messages[i - 1];
    const showName = !previous || previous.authorId !== message.authorId || previous.kind === "system" || label !== day(previous.at);
    items.push(<MessageItem key={message.seq} message={message} showName={showName} />);
  }

  return (
    <div class="messages" ref={box} onScroll={() => void onScroll()} role="log" aria-live="polite">
      {props.more && <div class="older">Loading earlier messages…</div>}
      <ol>
        {items}
        {pending.map((entry) => (
          <li key={entry.clientMsgId} class="msg ours pending" data-testid="message" data-author-kind="operator" data-pending="true">
            <div class="bubble">{entry.body}</div>
            <div class="msg-time">Sending…</div>
          </li>
        ))}
      </ol>
      {props.typing && (
        <div class="typing" data-testid="typing">
          {props.typing}
        </div>
      )}
    </div>
  );
}
