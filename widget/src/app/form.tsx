import { Component } from "preact";
import { strings } from "./strings";

type Field = { name: "name" | "email" | "phone" | "topic"; required: boolean };
type Values = Partial<Record<Field["name"], string>>;

export type FormProps = {
  fields: Field[];
  topics: string[];
  /** Outside working hours: the form offers to leave an e-mail for a reply. */
  away: boolean;
  /** Resolves to an error message from the server, or null when saved. */
  onSave: (values: Values) => Promise<string | null>;
};

// Rendered with the form, so the panel's own styles stay short.
const STYLES = `.form{display:flex;flex-direction:column;gap:10px;padding:12px 16px 16px;border-top:1px solid var(--line)}
.form label{display:flex;flex-direction:column;gap:4px;font-size:13px;color:var(--muted)}.error{color:#dc2626}`;

const TYPES = { name: "text", email: "email", phone: "tel", topic: "" } as const;
const AUTOCOMPLETE = { name: "name", email: "email", phone: "tel", topic: "off" } as const;

/** The site's pre-chat form (W4), or the offline e-mail request (W12); what is given is never asked again. */
export class Form extends Component<FormProps, { values: Values; error: string | null; busy: boolean }> {
  state = { values: {} as Values, error: null as string | null, busy: false };

  async #submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    // The browser's own checks (required, type=email, the phone pattern) speak the page's language.
    if (!form.reportValidity()) return;
    this.setState({ busy: true });
    const values = Object.fromEntries(Object.entries(this.state.values).filter(([, value]) => value?.trim()));
    const error = await this.props.onSave(values);
    this.setState({ busy: false, error });
  }

  render() {
    const { fields, topics, away } = this.props;
    const { values, error, busy } = this.state;
    const set = (name: Field["name"]) => (event: Event) =>
      this.setState({ values: { ...values, [name]: (event.currentTarget as HTMLInputElement).value } });
    return (
      <form class="form prechat" onSubmit={(event) => this.#submit(event)}>
        <style>{STYLES}</style>
        {away && <p>{strings.away}</p>}
        {fields.map(({ name, required }) => (
          <label key={name}>
            <span>{strings[name]}</span>
            {name === "topic" ? (
              <select name={name} required={required} value={values.topic ?? ""} onChange={set(name)}>
                <option value="">—</option>
                {topics.map((topic) => (
                  <option key={topic} value={topic}>
                    {topic}
                  </option>
                ))}
              </select>
            ) : (
              <input
                name={name}
                type={TYPES[name] as "email"}
                autoComplete={AUTOCOMPLETE[name]}
                required={required}
                maxLength={name === "email" ? 254 : 200}
                pattern={name === "phone" ? "\\+?[0-9 ()\\-]{5,20}" : undefined}
                value={values[name] ?? ""}
                onInput={set(name)}
              />
            )}
          </label>
        ))}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {strings.send}
        </button>
      </form>
    );
  }
}
