import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import "../account/team.css";

type Invite = { email: string; name: string; role: string; workspaceName: string; hasAccount: boolean };

/** Where an invite link lands: the invitee sets a password (or gives their existing one) and is signed in. */
export function InvitePage(props: { token: string; onSignedIn: () => void }) {
  const [invite, setInvite] = useState<Invite | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void (async () => {
      try {
        const response = await api.team.invites[":token"].$get({ param: { token: props.token } });
        if (response.ok) return setInvite((await response.json()).invite);
        setProblem(response.status === 404 ? "This invite link is not valid." : await errorMessage(response));
      } catch {
        setProblem(OFFLINE);
      }
    })();
  }, [props.token]);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const response = await api.team.invites[":token"].accept.$post({ param: { token: props.token }, json: { password } });
      if (response.ok) return props.onSignedIn();
      setError(await errorMessage(response));
    } catch {
      setError(OFFLINE);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="login">
      <form class="login-card" onSubmit={submit} data-testid="invite-page">
        <div class="brand">
          <span class="brand-mark">T</span> Tandem
        </div>
        {problem ? (
          <>
            <h1>Invite</h1>
            <p class="form-error" role="alert" data-testid="invite-problem">
              {problem}
            </p>
            <a href="#/">Go to sign-in</a>
          </>
        ) : !invite ? (
          <p class="muted">Loading…</p>
        ) : (
          <>
            <h1>Join {invite.workspaceName}</h1>
            <p class="muted">
              Hello {invite.name}, you are invited as {invite.role} ({invite.email}).
            </p>
            <label>
              {invite.hasAccount ? "Your Tandem password" : "Choose a password (at least 10 characters)"}
              <input
                data-testid="invite-password"
                type="password"
                autoComplete={invite.hasAccount ? "current-password" : "new-password"}
                minLength={invite.hasAccount ? 1 : 10}
                required
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </label>
            {error && (
              <p class="form-error" role="alert" data-testid="invite-error">
                {error}
              </p>
            )}
            <button class="primary" type="submit" data-testid="invite-accept" disabled={busy}>
              {busy ? "Joining…" : "Join"}
            </button>
          </>
        )}
      </form>
    </div>
  );
}
