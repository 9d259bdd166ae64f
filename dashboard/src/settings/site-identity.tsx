import type { SiteSettings } from "@tandem/protocol";
import { useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";

type State = { problem?: string; note?: string; copied?: boolean };

const secretRoute = api.settings.sites[":id"]["identity-secret"];

/**
 * A site's identity check (W15): the secret its server signs `Tandem('identify')`
 * with, shown only on request, rotated after a confirmation that says what
 * it does, and whether a call without a good hash is refused.
 */
export function SiteIdentity(props: { site: SiteSettings }) {
  const param = { id: props.site.id };
  const [required, setRequired] = useState(props.site.identityRequired);
  const [secret, setSecret] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [signOut, setSignOut] = useState(false);
  const [busy, setBusy] = useState(false);
  const [state, setState] = useState<State>({});

  async function run(request: () => Promise<Response>, done: (response: Response) => Promise<State | void>) {
    setBusy(true);
    try {
      const response = await request();
      setState(response.ok ? ((await done(response)) ?? {}) : { problem: await errorMessage(response) });
    } catch {
      setState({ problem: OFFLINE });
    } finally {
      setBusy(false);
    }
  }

  const reveal = () => run(() => secretRoute.$get({ param }), async (r) => void setSecret(((await r.json()) as { secret: string }).secret));

  const rotate = () =>
    run(
      () => secretRoute.$post({ param, json: { signOutVerified: signOut } }),
      async (r) => {
        const rotated = (await r.json()) as { secret: string; signedOut: number };
        setSecret(rotated.secret);
        setConfirming(false);
        setSignOut(false);
        const signedOut = signOut ? ` ${rotated.signedOut} signed-in customer${rotated.signedOut === 1 ? " was" : "s were"} signed out.` : "";
        return { note: `A new secret is in force: put it on your server now.${signedOut}` };
      },
    );

  const enforce = (value: boolean) =>
    run(
      () => api.settings.sites[":id"].$patch({ param, json: { identityRequired: value } }),
      async (r) => {
        setRequired((await r.json()).site.identityRequired);
        return { note: value ? "Identify calls without a good hash are refused now." : "Identify calls without a hash are taken again, as unverified." };
      },
    );

  async function copy() {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
    } catch {
      // No clipboard permission (an http page, an old browser): select it for Ctrl+C.
      (document.querySelector(`[data-site-secret="${props.site.id}"]`) as HTMLInputElement | null)?.select();
      document.execCommand("copy");
    }
    setState({ copied: true });
  }

  return (
    <section class="group-card site-card" data-testid="site-identity">
      <h3>Identity</h3>
      <p class="muted small">
        For customers signed in on your site: your server computes <code>hash</code> = hex HMAC-SHA256 of the customer's id with this secret,
        and the page calls <code>Tandem('identify', {"{ id, name, email, hash }"})</code>. Operators then see the customer as verified. Keep the
        secret on your server, never in a page.
      </p>
      <div class="invite-link">
        {secret === null ? (
          <>
            <input readOnly value="••••••••••••••••" aria-label="Identity secret (hidden)" />
            <button type="button" disabled={busy} onClick={() => void reveal()} data-testid="site-secret-reveal">
              Reveal
            </button>
          </>
        ) : (
          <>
            <input readOnly value={secret} aria-label="Identity secret" data-site-secret={props.site.id} data-testid="site-secret" onFocus={(e) => e.currentTarget.select()} />
            <button type="button" onClick={() => void copy()} data-testid="site-secret-copy">
              {state.copied ? "Copied" : "Copy"}
            </button>
            <button type="button" class="ghost" onClick={() => setSecret(null)}>
              Hide
            </button>
          </>
        )}
        {!confirming && (
          <button type="button" class="secondary" disabled={busy} onClick={() => (setConfirming(true), setState({}))} data-testid="site-secret-rotate">
            Rotate…
          </button>
        )}
      </div>
      {confirming && (
        <div class="site-confirm" role="alertdialog" aria-label="Rotate the identity secret" data-testid="site-secret-confirm">
          <p>
            A new secret replaces this one at once. Identify calls signed with the old one are refused from then on, so until your server signs
            with the new one, customers who sign in chat as anonymous visitors. Customers already identified stay signed in: their chat does not
            depend on this secret.
          </p>
          <label class="check">
            <input type="checkbox" checked={signOut} onInput={(e) => setSignOut(e.currentTarget.checked)} data-testid="site-secret-sign-out" />
            Also sign out everyone the old secret verified (if it leaked: an impersonator loses the chat; real customers are verified again by their next page)
          </label>
          <div class="team-fields">
            <button type="button" class="primary" disabled={busy} onClick={() => void rotate()} data-testid="site-secret-rotate-confirm">
              Rotate now
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <label class="check">
        <input type="checkbox" checked={required} disabled={busy} onInput={(e) => void enforce(e.currentTarget.checked)} data-testid="site-identity-required" />
        Require a verified identity: refuse identify calls without a good hash
      </label>
      <p class="muted small">
        Customers who are not signed in still chat. A name or e-mail they type (the pre-chat form, the bot) is kept for the reply but shown to
        operators as unverified, and never joins them to anyone's contact.
      </p>
      {state.problem && (
        <p class="form-error" role="alert">
          {state.problem}
        </p>
      )}
      {state.note && (
        <p class="muted" role="status" data-testid="site-identity-note">
          {state.note}
        </p>
      )}
    </section>
  );
}
