import type { ComponentChildren } from "preact";
import { ExternalLink } from "../external-link";
import { clock } from "../format";
import type { ConversationDetail } from "./use-conversation";

function Field(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

/** The customer's context beside the conversation, so nobody has to ask. */
export function Details(props: { detail: ConversationDetail }) {
  const { contact, context, trail } = props.detail;
  const [now, ...before] = trail;
  const utm = context.utm ? Object.entries(context.utm).map(([k, v]) => `${k}=${v}`).join(", ") : null;
  return (
    <aside class="details">
      <h2>Customer</h2>
      <dl>
        <Field label="Name">{contact.name ?? <span class="muted">not given</span>}</Field>
        <Field label="E-mail">{contact.email ?? <span class="muted">not given</span>}</Field>
        {contact.phone && <Field label="Phone">{contact.phone}</Field>}
      </dl>
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
      <dl>
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
    </aside>
  );
}
