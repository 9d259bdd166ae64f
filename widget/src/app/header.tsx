import type { ChatState } from "./chat";
import { strings } from "./strings";

function statusLine(state: ChatState): string {
  const conversation = state.sync?.conversation;
  switch (state.connection) {
    case "misconfigured":
    case "refused":
      return strings.unavailable;
    case "offline":
      return strings.offline;
    case "starting":
    case "connecting":
      return strings.connecting;
  }
  if (conversation?.status === "queued") {
    return conversation.queuePosition ? strings.inLine(conversation.queuePosition) : strings.waiting;
  }
  if (conversation?.status === "assigned") return strings.here(conversation.assignee?.name ?? strings.team);
  if (conversation?.status === "closed") return strings.ended;
  return state.site && !state.site.hours.open ? strings.away : strings.replyTime;
}

/** Who the customer is talking to: the team until an operator takes the conversation, then that operator. */
export function Header(props: { state: ChatState; onEnd: () => void; onClose: () => void }) {
  const { state } = props;
  const conversation = state.sync?.conversation;
  const agent = conversation?.assignee;
  const name = agent?.name ?? state.site?.name ?? strings.team;
  const logo = state.site?.look.logoUrl;
  return (
    <header class="header">
      <div class={agent ? "avatar person" : "avatar"} aria-hidden="true">
        {logo && !agent ? <img src={logo} alt="" /> : name[0]}
      </div>
      <div class="name">
        {name}
      </div>
      {conversation && conversation.status !== "closed" && (
        <button type="button" class="end" onClick={props.onEnd}>
          {strings.endChat}
        </button>
      )}
      <button type="button" class="icon" aria-label={strings.closePanel} onClick={props.onClose}>
        <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" aria-hidden="true">
          <path d="M6 6l12 12M18 6 6 18" />
        </svg>
      </button>
      <div class="status" role="status">
        {statusLine(state)}
      </div>
    </header>
  );
}
