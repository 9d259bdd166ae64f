import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import "./team.css";

/**
 * "Account" in the sidebar: a dialog to change one's password, which signs
 * out every other browser. The dialog exists only while open: a password
 * form in the page makes Chromium's password manager parse it on every load.
 */
export function AccountButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class="ghost" onClick={() => setOpen(true)} data-testid="account-open">
        Account
      </button>
      {open && <AccountDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function AccountDialog(props: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Modal in the same task that draws it: an Escape or a click right after opening finds it modal.
  useLayoutEffect(() => dialog.current?.showModal(), []);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const response = await api.team.me.password.$post({ json: { current, next } });
      if (!response.ok) return setError(await errorMessage(response));
      const { endedSessions } = await response.json();
      setDone(endedSessions ? `Password changed. ${endedSessions} other session${endedSessions === 1 ? " was" : "s were"} signed out.` : "Password changed.");
      setCurrent("");
      setNext("");
    } catch {
      setError(OFFLINE);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} class="account-dialog" data-testid="account-dialog" onClose={props.onClose}>
      <form onSubmit={submit}>
        <h2>Change password</h2>
        <label>
          Current password
          <input type="password" autoComplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} data-testid="account-current" />
        </label>
        <label>
          New password (at least 10 characters)
          <input type="password" autoComplete="new-password" required minLength={10} value={next} onInput={(e) => setNext(e.currentTarget.value)} data-testid="account-next" />
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        {done && (
          <p class="done" role="status" data-testid="account-done">
            {done}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
            Close
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="account-submit">
            Change password
          </button>
        </div>
      </form>
    </dialog>
  );
}
