import { Component } from "preact";
import type { Chat, ChatState } from "./chat";
import { Composer } from "./composer";
import { Form, type FormProps } from "./form";
import { Header } from "./header";
import { MessageList } from "./message-list";
import { RatingForm } from "./rating";
import { strings } from "./strings";


/** The fields of the site's pre-chat form this customer has not given yet; the topic is asked for each conversation. */
function missingFields(state: ChatState): FormProps["fields"] {
  const { site, contact } = state;
  if (!site || state.sync) return [];
  if (!site.hours.open && !contact?.email) return [{ name: "email", required: false }];
  return (site.prechat?.fields ?? []).filter((field) => field.name === "topic" || !contact?.[field.name]);
}

/** The chat panel: who answers, the conversation, and the input (or a form, or, once closed, the rating). */
export class Widget extends Component<{ chat: Chat; state: ChatState; open: boolean; onClose: () => void }, { fill?: { text: string } }> {
  render() {
    const { chat, state } = this.props;
    if (!this.props.open) return null;
    const conversation = state.sync?.conversation;
    const closed = conversation?.status === "closed";
    const fields = state.asked || state.drafts.length ? [] : missingFields(state);

    // Once closed: the rating, and the input still there, since writing again within the site's window reopens it (D8).
    const footer = fields.length ? (
      <Form fields={fields} topics={state.site?.prechat?.topics ?? []} away={!state.site?.hours.open} onSave={chat.saveContact} />
    ) : (
      <>
        {closed && <div class="closed">{state.rated ? <p>{strings.thanks}</p> : <RatingForm onRate={chat.rate} />}</div>}
        <Composer fill={this.state.fill} onSend={chat.send} onTyping={chat.typing} onWrite={chat.prefetch} />
      </>
    );

    return (
      <section
        class="panel"
        role="dialog"
        aria-label={state.site?.name ?? strings.team}
        onKeyDown={(event) => event.key === "Escape" && this.props.onClose()}
      >
        <Header state={state} onEnd={chat.end} onClose={this.props.onClose} />
        <MessageList
          state={state}
          onButton={(button) => (button.operator ? chat.escalate() : chat.send(button.label))}
          // A new object each time: editing the same text twice fills the box twice.
          onEdit={(id) => this.setState({ fill: { text: chat.discard(id) ?? "" } })}
          onRemove={chat.discard}
          onOlder={chat.older}
        />
        {conversation?.status === "bot" && (
          <button type="button" class="human" onClick={chat.escalate}>
            {strings.talkToHuman}
          </button>
        )}
        {footer}
      </section>
    );
  }
}
