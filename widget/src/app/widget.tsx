import type { Chat } from "./chat";
import { Composer } from "./composer";
import { Header } from "./header";
import { MessageList } from "./message-list";
import { strings } from "./strings";
import { useChat } from "./use-chat";

/** The chat panel. */
export function Widget(props: { chat: Chat; open: boolean; onClose: () => void }) {
  const { chat } = props;
  const state = useChat(chat);
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
      <Header state={state} onEnd={() => void chat.end()} onClose={props.onClose} />
      <MessageList state={state} />
      {closed ? (
        <div class="closed">
          <p>{strings.closed}</p>
          <button type="button" class="primary" data-testid="tandem-new" onClick={() => chat.startNew()}>
            {strings.startNew}
          </button>
        </div>
      ) : (
        <Composer onSend={(body) => chat.send(body)} onTyping={(typing) => chat.typing(typing)} />
      )}
    </section>
  );
}
