import { useState } from "preact/hooks";
import { Field } from "./field";
import { IdentityMark } from "./identity-mark";
import type { Contact, ContactEdit } from "./use-card";

const FIELDS = [
  { key: "name", label: "Name", type: "text" },
  { key: "email", label: "E-mail", type: "email" },
  { key: "phone", label: "Phone", type: "tel" },
] as const;

/** The customer's details, with the pre-chat topic; the operator may correct them (each edit is logged). */
export function ContactFields(props: { contact: Contact; topic: string | null; onSave: (edit: ContactEdit) => Promise<string | null> }) {
  const { contact } = props;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function start() {
    setDraft({ name: contact.name ?? "", email: contact.email ?? "", phone: contact.phone ?? "" });
    setProblem(null);
    setEditing(true);
  }

  async function save(event: Event) {
    event.preventDefault();
    // Only what changed goes; an emptied field is cleared.
    const edit: ContactEdit = {};
    for (const { key } of FIELDS) {
      const value = draft[key].trim();
      if (value !== (contact[key] ?? "")) edit[key] = value || null;
    }
    if (Object.keys(edit).length === 0) return setEditing(false);
    setBusy(true);
    const failed = await props.onSave(edit);
    setBusy(false);
    setProblem(failed);
    if (!failed) setEditing(false);
  }

  return (
    <>
      <div class="card-head">
        <h2>Customer</h2>
        {!editing && (
          <button type="button" class="ghost" data-testid="contact-edit" onClick={start}>
            Edit
          </button>
        )}
      </div>
      <IdentityNote contact={contact} />
      {editing ? (
        <form class="contact-form" onSubmit={(e) => void save(e)}>
          {FIELDS.map(({ key, label, type }) => (
            <label key={key}>
              {label}
              <input
                type={type as "text"}
                data-testid={`contact-${key}`}
                value={draft[key]}
                onInput={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
              />
            </label>
          ))}
          {problem && (
            <p class="form-error" role="alert">
              {problem}
            </p>
          )}
          <div class="row-actions">
            <button type="submit" class="primary" data-testid="contact-save" disabled={busy}>
              Save
            </button>
            <button type="button" class="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <dl data-testid="contact">
          {FIELDS.map(({ key, label }) => (
            <Field key={key} label={key === "name" ? "Preferred name" : label}>
              <span data-testid={`contact-${key}-value`}>{contact[key] ?? <span class="muted">not given</span>}</span>
              {key !== "phone" && <IdentityMark verified={contact[`${key}Verified`]} claimed={contact[key] !== null} />}
            </Field>
          ))}
          {props.topic && <Field label="Topic">{props.topic}</Field>}
        </dl>
      )}
    </>
  );
}

/** Who this is, as far as anyone can tell: the site's word (identify with a hash), or only the customer's. */
function IdentityNote(props: { contact: Contact }) {
  const { contact } = props;
  if (contact.verified) {
    return (
      <p class="identity-note" data-testid="contact-identity" data-verified="true">
        <IdentityMark verified claimed />
        {" "}Signed in on the site as <code>{contact.externalId}</code>
      </p>
    );
  }
  if (!contact.name && !contact.email) return null;
  return (
    <p class="identity-note muted" data-testid="contact-identity" data-verified="false">
      Not verified: the name and e-mail were typed in the chat. Nothing proves who this is.
    </p>
  );
}
