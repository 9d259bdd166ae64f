import type { ChatState } from "./chat";
import { strings } from "./strings";

function statusLine(state: ChatState): string {
  const conversation = state.sync?.conversation;
  switch (state.connection) {
    case "misconfigured":
      return strings.misconfigured;
    case "refused":
      return strings.refused;
    case "offline":
      return strings.offline;
    case "starting":
    case "connecting":
      return strings.connecting;
  }
  if (conversation?.status === "queued") return strings.waiting;
  if (conversation?.status === "assigned") return strings.here(conversation.assignee?.name ?? strings.team);
  if (conversation?.status === "closed") return strings.ended;
  return strings.replyTime;
}

/** Who the customer is talking to: the team until an operator takes the conversation, then that operator. */
export function Header(props: { state: ChatState; onEnd: () => void; onClose: () => void }) {
  const { state } = props;
  const conversation = state.sync?.conversation;
  const agent = conversation?.assignee;
  const name = agent?.name ?? state.siteName ?? strings.team;
  return (
    <header class="header">
      <div class={agent ? "avatar person" : "avatar"} aria-hidden="true">
        {agent ? agent.name.trim().charAt(0).toUpperCase() : <TeamIcon />}
      </div>
      <div class="name" data-testid="tandem-agent-name">
        {name}
      </div>
      {conversation && conversation.status !== "closed" && (
        <button type="button" class="end" data-testid="tandem-end" onClick={props.onEnd}>
          {strings.endChat}
        </button>
      )}
      <button type="button" class="icon" aria-label={strings.closePanel} onClick={props.onClose}>
        <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" aria-hidden="true">
          <path d="M6 6l12 12M18 6 6 18" />
        </svg>
      </button>
      <div class="status" data-testid="tandem-status" role="status">
        {statusLine(state)}
      </div>
    </header>
  );
}

function TeamIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true">
      <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z" />
    </svg>
  );
}
