import type { ConversationSummary } from "@tandem/protocol";
import { IdentityMark } from "../conversation/identity-mark";
import { ago, visitorLabel } from "../format";
import { lastActivity } from "./tabs";

const STATUS_LABEL = { bot: "Bot", queued: "Waiting", assigned: "Open", closed: "Closed" } as const;

/** One line of the inbox: who, what they said last, how long ago, where it stands and with whom. */
export function ConversationRow(props: { conversation: ConversationSummary; meId: string; selected: boolean; now: number; onSelect: (id: string) => void }) {
  const { conversation: c, meId } = props;
  return (
    <button
      type="button"
      class={props.selected ? "row selected" : "row"}
      aria-current={props.selected ? "true" : undefined}
      data-testid="conversation-row"
      data-id={c.id}
      data-status={c.status}
      onClick={() => props.onSelect(c.id)}
    >
      <div class="row-top">
        <span class="row-who">
          <span class="row-name">{visitorLabel(c.visitorName, c.id)}</span>
          <IdentityMark verified={!!c.visitorVerified} claimed={c.visitorName !== null} />
        </span>
        <span class="row-time">{ago(lastActivity(c), props.now)}</span>
      </div>
      <div class="row-preview">{c.preview ?? "No messages yet"}</div>
      <div class="row-bottom">
        <span class={`badge ${c.status}`}>{STATUS_LABEL[c.status]}</span>
        {c.offlineRequest && (
          <span class="badge offline" data-testid="offline-request" title="Came outside working hours; the customer left a contact for a reply">
            Offline request
          </span>
        )}
        {c.assignee && <span class="row-assignee">{c.assignee.id === meId ? "You" : c.assignee.name}</span>}
      </div>
    </button>
  );
}
