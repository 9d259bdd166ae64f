import type { Message, Note, OutboxEntry } from "@tandem/protocol";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { clock, day } from "../format";

const RUN_MS = 5 * 60_000;

// Consecutive messages by one author within minutes: one name above them, one time below.
function sameRun(a: Message | undefined, b: Message | undefined): boolean {
  if (!a || !b || a.kind === "system" || b.kind === "system") return false;
  return a.authorKind === b.authorKind && a.authorId === b.authorId && b.at - a.at < RUN_MS && day(a.at) === day(b.at);
}

function MessageItem(props: { message: Message; showName: boolean; showTime: boolean; seen: boolean }) {
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
      {message.buttons && message.buttons.length > 0 && (
        // What the customer was offered to tap; the operator only sees them.
        <div class="msg-time" data-testid="quick-replies">
          {message.buttons.map((b) => `[${b.label}]`).join(" ")}
        </div>
      )}
      {(props.showTime || props.seen) && (
        <div class="msg-time">
          {clock(message.at)}
          {props.seen && <span data-testid="seen"> · Seen</span>}
        </div>
      )}
    </li>
  );
}

function NoteItem(props: { note: Note }) {
  const { note } = props;
  return (
    <li class="note" data-testid="note">
      <div class="note-head">
        Private note · {note.author.name} · {clock(note.at)}
      </div>
      <div class="note-body">{note.body}</div>
    </li>
  );
}

/**
 * The whole history, in seq order with day separators. Scrolling to the top
 * (or the button there) asks for the page before; new messages keep the view
 * at the bottom when the operator was already there, and so does sending.
 * Private notes sit in the timeline at their time, marked as such.
 */
export function MessageList(props: {
  messages: Message[];
  notes: Note[];
  pending: OutboxEntry[];
  /** Refused for good by the room (too long, say): shown apart, to edit or remove. */
  failed: OutboxEntry[];
  /** The room asked to wait (too many at once, or busy): pending ones go by themselves after. */
  waiting: boolean;
  onEdit: (clientMsgId: string) => void;
  onRemove: (clientMsgId: string) => void;
  more: boolean;
  onLoadOlder: () => Promise<void>;
  typing: string | null;
  /** The customer's read mark: the last of our messages at or below it says "Seen". */
  seenByCustomer: number;
}) {
  const { messages, pending } = props;
  let seenSeq = 0;
  for (const m of messages) if (m.authorKind !== "visitor" && m.kind !== "system" && m.seq <= props.seenByCustomer) seenSeq = m.seq;
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const heightBefore = useRef(0);
  const busy = useRef(false);
  const [loading, setLoading] = useState(false);
  const firstSeq = messages[0]?.seq;

  // After older messages arrive above, keep the same messages under the reader's eyes.
  useLayoutEffect(() => {
    const el = box.current;
    if (el && heightBefore.current) el.scrollTop += el.scrollHeight - heightBefore.current;
    heightBefore.current = 0;
  }, [firstSeq]);

  useEffect(() => {
    const el = box.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, props.notes.length, props.typing]);

  // Whoever sends wants to see what they sent.
  useEffect(() => {
    const el = box.current;
    if (el && pending.length) el.scrollTop = el.scrollHeight;
  }, [pending.length]);

  async function loadOlder() {
    // A ref, not the state: scroll events come faster than renders.
    if (busy.current) return;
    busy.current = true;
    setLoading(true);
    heightBefore.current = box.current!.scrollHeight;
    await props.onLoadOlder();
    busy.current = false;
    setLoading(false);
  }

  function onScroll() {
    const el = box.current!;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (el.scrollTop < 60 && props.more) void loadOlder();
  }

  const items = [];
  let lastDay = "";
  const separator = (at: number, key: string) => {
    const label = day(at);
    if (label === lastDay) return;
    items.push(
      <li class="day" key={key} data-testid="day">
        <span>{label}</span>
      </li>,
    );
    lastDay = label;
  };
  // Notes older than the loaded page wait until that page is loaded.
  const notes = props.more && messages.length ? props.notes.filter((n) => n.at >= messages[0].at) : props.notes;
  let n = 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    for (; n < notes.length && notes[n].at < message.at; n++) {
      separator(notes[n].at, `dn${notes[n].id}`);
      items.push(<NoteItem key={notes[n].id} note={notes[n]} />);
    }
    separator(message.at, `d${message.seq}`);
    items.push(
      <MessageItem
        key={message.seq}
        message={message}
        showName={!sameRun(messages[i - 1], message)}
        showTime={!sameRun(message, messages[i + 1])}
        seen={message.seq === seenSeq}
      />,
    );
  }
  for (; n < notes.length; n++) {
    separator(notes[n].at, `dn${notes[n].id}`);
    items.push(<NoteItem key={notes[n].id} note={notes[n]} />);
  }

  return (
    <div class="messages" ref={box} onScroll={onScroll} role="log" aria-live="polite">
      {props.more && (
        <div class="older">
          <button type="button" class="ghost" disabled={loading} onClick={() => void loadOlder()}>
            {loading ? "Loading earlier messages…" : "Show earlier messages"}
          </button>
        </div>
      )}
      <ol>
        {items}
        {pending.map((entry) => (
          <li key={entry.clientMsgId} class="msg ours pending" data-testid="message" data-author-kind="operator" data-pending="true">
            <div class="bubble">{entry.body}</div>
            <div class="msg-time">{props.waiting ? "Waiting to send…" : "Sending…"}</div>
          </li>
        ))}
        {props.failed.map((entry) => (
          <li key={entry.clientMsgId} class="msg ours failed" data-testid="failed-message">
            <div class="bubble">{entry.body}</div>
            <div class="msg-time">
              Not sent: {entry.failed}.{" "}
              <button type="button" class="link" onClick={() => props.onEdit(entry.clientMsgId)}>
                Edit
              </button>{" "}
              <button type="button" class="link" onClick={() => props.onRemove(entry.clientMsgId)}>
                Remove
              </button>
            </div>
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
