import { useState } from "preact/hooks";
import { api, errorMessage } from "../api";
import type { Me } from "../app";
import { visitorLabel } from "../format";
import { Details } from "./details";
import { MessageList } from "./message-list";
import { ReplyBox } from "./reply-box";
import { useConversation } from "./use-conversation";

const STATUS = { bot: "With the bot", queued: "Waiting in the queue", assigned: "Open", closed: "Closed" } as const;

/** One conversation: header with its actions, the history, the reply box, the customer's context. */
export function ConversationView(props: { id: string; me: Me; onSignedOut: () => void }) {
  const { id, me } = props;
  const conversation = useConversation(id, me, props.onSignedOut);
  const [problem, setProblem] = useState<string | null>(null);
  const { detail, snapshot } = conversation;

  if (conversation.missing) return <div class="empty">This conversation does not exist or is not in your workspace.</div>;
  if (!detail) return <div class="empty muted">Loading…</div>;

  // The room's view is the freshest; the summary from the API fills in until it arrives.
  const state = snapshot?.conversation ?? detail.summary;
  const assignee = state.assignee;
  const typing = snapshot?.typing?.authorKind === "visitor" ? "Customer is typing…" : null;

  async function act(action: "claim" | "close") {
    setProblem(null);
    const response = await api.conversations[":id"][action].$post({ param: { id } });
    if (!response.ok) setProblem(await errorMessage(response));
  }

  return (
    <div class="conversation">
      <section class="thread">
        <header class="thread-head">
          <div>
            <h1>{visitorLabel(detail.summary.visitorName, id)}</h1>
            <div class="thread-meta">
              <span class={`badge ${state.status}`} data-testid="conversation-status" data-status={state.status}>
                {STATUS[state.status]}
              </span>
              {assignee && <span>with {assignee.id === me.id ? "you" : assignee.name}</span>}
              {!conversation.connected && <span class="muted">· reconnecting…</span>}
            </div>
          </div>
          <div class="actions">
            {state.status === "queued" && (
              <button type="button" class="primary" data-testid="claim" onClick={() => void act("claim")}>
                Take it
              </button>
            )}
            {state.status !== "closed" && (
              <button type="button" class="secondary" data-testid="close" onClick={() => void act("close")}>
                Close
              </button>
            )}
          </div>
        </header>
        {problem && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
        <MessageList
          messages={snapshot?.messages ?? []}
          pending={snapshot?.pending ?? []}
          more={conversation.more}
          onLoadOlder={conversation.loadOlder}
          typing={typing}
        />
        <ReplyBox
          disabled={state.status === "closed" ? "This conversation is closed." : null}
          onSend={conversation.send}
          onTyping={conversation.typing}
        />
      </section>
      <Details detail={detail} />
    </div>
  );
}
