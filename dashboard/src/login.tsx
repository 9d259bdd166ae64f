import { useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "./api";

/** The sign-in form; the session cookie it earns is HttpOnly, so success is all the app hears of it. */
export function Login(props: { onSignedIn: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const response = await api.login.$post({ json: { email, password } });
      if (response.ok) return props.onSignedIn();
      setError(response.status === 401 ? "Wrong e-mail or password." : await errorMessage(response));
    } catch {
      setError(OFFLINE);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="login">
      <form class="login-card" onSubmit={submit}>
        <div class="brand">
          <span class="brand-mark">T</span> Tandem
        </div>
        <h1>Sign in to your inbox</h1>
        <label>
          E-mail
          <input data-testid="login-email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="form-error" data-testid="login-error" role="alert">
            {error}
          </p>
        )}
        <button class="primary" type="submit" data-testid="login-submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}
