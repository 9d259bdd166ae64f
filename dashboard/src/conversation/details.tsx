import { ExternalLink } from "../external-link";
import { ago, clock } from "../format";
import { hrefOf } from "../route";
import { ContactFields } from "./contact-fields";
import { Field } from "./field";
import { TagPicker } from "./tag-picker";
import type { Card } from "./use-card";
import type { ConversationDetail } from "./use-conversation";
import "./workbench.css";


const STATUS = { bot: "with the bot", queued: "waiting", assigned: "open", closed: "closed" } as const;

/** The customer's context beside the conversation, so nobody has to ask. */
export function Details(props: { detail: ConversationDetail; card: Card }) {
  const { contact, context, trail } = props.detail;
  const { card } = props;
  const [now, ...before] = trail;
  const utm = context.utm ? Object.entries(context.utm).map(([k, v]) => `${k}=${v}`).join(", ") : null;
  const custom = Object.entries(context.custom ?? {});
  return (
    <aside class="details">
      <ContactFields contact={contact} topic={card.topic} onSave={card.editContact} />
      <TagPicker tags={card.tags} onAdd={card.addTag} onRemove={card.removeTag} />
      {now && (
        <>
          <h2>Now on</h2>
          <dl data-testid="current-page">
            <Field label={now.title ?? "Page"}>
              <ExternalLink href={now.url} />
            </Field>
          </dl>
        </>
      )}
      {before.length > 0 && (
        <>
          <h2>Pages before</h2>
          <dl data-testid="trail">
            {before.map((page) => (
              <Field key={`${page.at}${page.url}`} label={`${clock(page.at)}${page.title ? ` · ${page.title}` : ""}`}>
                <ExternalLink href={page.url} />
              </Field>
            ))}
          </dl>
        </>
      )}
      <h2>Where they wrote from</h2>
      <dl data-testid="page-context">
        {context.url && (
          <Field label="Page">
            <ExternalLink href={context.url} />
          </Field>
        )}
        {context.title && <Field label="Title">{context.title}</Field>}
        {context.referrer && (
          <Field label="Came from">
            <ExternalLink href={context.referrer} />
          </Field>
        )}
        {utm && <Field label="Campaign">{utm}</Field>}
        {context.language && <Field label="Language">{context.language}</Field>}
        {context.timeZone && <Field label="Time zone">{context.timeZone}</Field>}
        {context.screen && <Field label="Screen">{context.screen}</Field>}
      </dl>
      {custom.length > 0 && (
        <>
          <h2>From the site</h2>
          <dl data-testid="custom-context">
            {custom.map(([key, value]) => (
              <Field key={key} label={key}>
                {value}
              </Field>
            ))}
          </dl>
        </>
      )}
      <h2>Previous conversations</h2>
      {card.previous.length === 0 ? (
        <p class="muted card-empty">None before this one.</p>
      ) : (
        <ul class="previous" data-testid="previous-conversations">
          {card.previous.map((c) => (
            <li key={c.id}>
              <a href={hrefOf({ view: "inbox", conversation: c.id })} data-testid="previous-conversation" data-id={c.id}>
                <span class="previous-text">{c.topic ?? c.preview ?? "No messages"}</span>
                <span class="muted">
                  {ago(c.createdAt)} · {STATUS[c.status]}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
