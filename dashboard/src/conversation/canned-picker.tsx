import type { CannedReply } from "@tandem/protocol";

/** Fills a canned reply's variables: {name} the customer's (or a neutral "there"), {operator} mine. */
export function fillVariables(body: string, vars: { name: string | null; operator: string }): string {
  return body.replace(/\{(name|operator)\}/g, (_, key: string) => (key === "name" ? (vars.name ?? "there") : vars.operator));
}

/** The replies whose shortcut starts with what was typed after `/`, then those whose text has it. */
export function filterReplies(replies: CannedReply[], query: string): CannedReply[] {
  const q = query.toLowerCase();
  const first = replies.filter((r) => r.shortcut.startsWith(q));
  return [...first, ...replies.filter((r) => !first.includes(r) && r.body.toLowerCase().includes(q))];
}

/** The list above the reply box; the reply box keeps the keys (arrows, Enter, Escape). */
export function CannedPicker(props: { replies: CannedReply[]; active: number; onPick: (reply: CannedReply) => void }) {
  return (
    <ul class="canned-list" role="listbox" data-testid="canned-list">
      {props.replies.length === 0 && <li class="muted canned-none">No canned reply matches. Add some in Settings → Canned replies.</li>}
      {props.replies.map((reply, i) => (
        <li
          key={reply.id}
          role="option"
          aria-selected={i === props.active}
          class={i === props.active ? "canned active" : "canned"}
          data-testid="canned-item"
          data-shortcut={reply.shortcut}
          // mousedown, not click: the textarea keeps its focus and caret.
          onMouseDown={(e) => {
            e.preventDefault();
            props.onPick(reply);
          }}
        >
          <b>/{reply.shortcut}</b>
          {reply.shared ? "" : <span class="muted"> · mine</span>}
          <div class="canned-body">{reply.body}</div>
        </li>
      ))}
    </ul>
  );
}
