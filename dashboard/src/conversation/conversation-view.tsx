import { closeRefusal, replyRefusal, type SyncSnapshot } from "@tandem/protocol";
import { useRef, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import type { Me } from "../app";
import { RoutingActions } from "../routing/actions";
import { ExternalLink } from "../external-link";
import { PrompterPanel } from "../prompter/prompter-panel";
import { visitorLabel } from "../format";
import { Details } from "./details";
import { IdentityMark } from "./identity-mark";
import { MessageList } from "./message-list";
import { ReplyBox } from "./reply-box";
import { useCard } from "./use-card";
import { useConversation } from "./use-conversation";

const STATUS = { bot: "With the bot", queued: "Waiting in the queue", assigned: "Open", closed: "Closed" } as const;

function typingLine(typing: SyncSnapshot["typing"]): string | null {
  if (!typing) return null;
  if (typing.authorKind === "visitor") return "Customer is typing…";
  return `${typing.name ?? "The bot"} is typing…`;
}

/** One conversation: header with its actions, the history, the reply box, the customer's context. */
export function ConversationView(props: { id: string; me: Me; onSignedOut: () => void }) {
  const { id, me } = props;
  const conversation = useConversation(id, me, props.onSignedOut);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reply = useRef<HTMLTextAreaElement>(null);
  const [draft, setDraft] = useState<{ text: string } | null>(null);
  const { detail, snapshot } = conversation;
  const card = useCard(id, detail?.contact.id ?? null, conversation.setContact, conversation.cardVersion);

  if (conversation.missing) return <div class="empty">This conversation does not exist or is not in your workspace.</div>;
  if (conversation.failed) {
    return (
      <div class="empty">
        <p>{OFFLINE}</p>
        <button type="button" class="secondary" onClick={conversation.retry}>
          Try again
        </button>
      </div>
    );
  }
  if (!detail) return <div class="empty muted">Loading…</div>;

  // The room's view is the freshest; the summary from the API fills in until it arrives.
  const state = snapshot?.conversation ?? detail.summary;
  const assignee = state.assignee;
  const page = detail.summary.pageUrl ?? detail.context.url;

  async function act(action: "claim" | "close") {
    setProblem(null);
    setBusy(true);
    try {
      const response = await api.conversations[":id"][action].$post({ param: { id } });
      if (!response.ok) setProblem(await errorMessage(response));
      else if (action === "claim") reply.current?.focus();
    } catch {
      setProblem(OFFLINE);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="conversation">
      <section class="thread">
        <header class="thread-head">
          <div class="thread-title">
            <h1>
              {visitorLabel(detail.contact.name ?? detail.summary.visitorName, id)}
              <IdentityMark verified={detail.contact.name ? detail.contact.nameVerified : detail.contact.verified} claimed={!!detail.contact.name} />
            </h1>
            <div class="thread-meta">
              <span class={`badge ${state.status}`} data-testid="conversation-status" data-status={state.status}>
                {STATUS[state.status]}
              </span>
              {state.status === "queued" && state.queuePosition && (
                <span data-testid="queue-position">#{state.queuePosition} in line</span>
              )}
              {assignee && <span>with {assignee.id === me.id ? "you" : assignee.name}</span>}
              {page && <ExternalLink class="thread-page" href={page} />}
              {!conversation.connected && <span class="muted">· reconnecting…</span>}
            </div>
          </div>
          <div class="actions">
            <RoutingActions me={me} conversation={{ ...detail.summary, ...state }} />
            {state.status === "queued" && (
              <button type="button" class="primary" data-testid="claim" disabled={busy} onClick={() => void act("claim")}>
                Take
              </button>
            )}
            {!closeRefusal(me, state) && (
              <button type="button" class="secondary" data-testid="close" disabled={busy} onClick={() => void act("close")}>
                Close
              </button>
            )}
          </div>
        </header>
        {(problem ?? conversation.rejected) && (
          <p class="problem" role="alert">
            {problem ?? conversation.rejected}
          </p>
        )}
        <MessageList
          messages={snapshot?.messages ?? []}
          notes={card.notes}
          pending={snapshot?.pending ?? []}
          failed={snapshot?.failed ?? []}
          waiting={!!snapshot?.waiting}
          onEdit={(clientMsgId) => {
            const entry = conversation.discard(clientMsgId);
            if (entry) setDraft({ text: entry.body });
          }}
          onRemove={conversation.discard}
          more={conversation.more}
          onLoadOlder={conversation.loadOlder}
          typing={typingLine(snapshot?.typing ?? null)}
          seenByCustomer={snapshot?.read.visitor ?? 0}
        />
        <PrompterPanel
          id={id}
          active={(state.status === "assigned" || state.status === "queued") && !replyRefusal(me, state)}
          messages={snapshot?.messages ?? []}
          pending={snapshot?.pending.length ?? 0}
          onUse={(text) => setDraft({ text })}
        />
        <ReplyBox
          inputRef={reply}
          draft={draft}
          disabled={replyRefusal(me, state)}
          onSend={conversation.send}
          onTyping={conversation.typing}
          onNote={card.addNote}
          customerName={detail.contact.name}
          operatorName={me.name}
        />
      </section>
      <Details detail={detail} card={card} />
    </div>
  );
}
