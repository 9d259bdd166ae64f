import type { Chat, ChatState } from "./chat";
import { Composer } from "./composer";
import { Header } from "./header";
import { MessageList } from "./message-list";
import { strings } from "./strings";

/** The chat panel: who answers, the conversation, and the input (or, once closed, a way to start over). */
export function Widget(props: { chat: Chat; state: ChatState; open: boolean; onClose: () => void }) {
  const { chat, state } = props;
  if (!props.open) return null;
  const closed = state.sync?.conversation?.status === "closed";

  return (
    <section
      class="panel"
      data-testid="tandem-panel"
      role="dialog"
      aria-label={state.siteName ?? strings.team}
      onKeyDown={(event) => event.key === "Escape" && props.onClose()}
    >
      <Header state={state} onEnd={chat.end} onClose={props.onClose} />
      <MessageList state={state} />
      {closed ? (
        <div class="closed">
          <p>{strings.closed}</p>
          <button type="button" class="primary" data-testid="tandem-new" onClick={chat.startNew}>
            {strings.startNew}
          </button>
        </div>
      ) : (
        <Composer onSend={chat.send} onTyping={chat.typing} />
      )}
    </section>
  );
}
