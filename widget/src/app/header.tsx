import type { ChatState } from "./chat";
import { strings } from "./strings";

function statusLine(state: ChatState): string {
  const conversation = state.sync?.conversation;
  if (state.connection === "misconfigured") return strings.misconfigured;
  if (state.connection === "refused") return strings.refused;
  if (state.connection === "offline") return strings.offline;
  if (state.sync && state.connection !== "online") return strings.connecting;
  if (conversation?.status === "queued") return strings.waiting;
  if (conversation?.status === "assigned") return strings.online;
  return strings.replyTime;
}

/** Who the customer is talking to: the team (and its bot) until an operator joins, then that operator. */
export function Header(props: { state: ChatState; onEnd: () => void; onClose: () => void }) {
  const { state } = props;
  const conversation = state.sync?.conversation;
  const agent = conversation?.status === "assigned" ? conversation.assignee : null;
  const name = agent?.name ?? state.siteName ?? strings.team;
  const open = conversation && conversation.status !== "closed";
  return (
    <header class="header">
      <div class={agent ? "avatar person" : "avatar"} aria-hidden="true">
        {agent ? agent.name.slice(0, 1).toUpperCase() : "✦"}
      </div>
      <div class="who">
        <div class="name" data-testid="tandem-agent-name">
          {name}
        </div>
        <div class="status" data-testid="tandem-status" role="status">
          {statusLine(state)}
        </div>
      </div>
      {open && (
        <button type="button" class="text-button" data-testid="tandem-end" onClick={props.onEnd}>
          {strings.endChat}
        </button>
      )}
      <button type="button" class="icon-button" aria-label={strings.closePanel} onClick={props.onClose}>
        ×
      </button>
    </header>
  );
}
