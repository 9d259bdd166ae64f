import type { OperatorRole } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "./api";
import { InvitePage } from "./invite/invite-page";
import { Login } from "./login";
import { Workspace } from "./workspace";

export type Me = { id: string; name: string; role: OperatorRole; workspaceId: string; workspaceName: string };

/** Signed in or not: asks the server, which is the only judge. */
export function App() {
  // undefined while asking, null when signed out.
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);

  async function load() {
    setMe(undefined);
    setProblem(null);
    try {
      const response = await api.me.$get();
      if (response.status === 401) return setMe(null);
      if (!response.ok) return setProblem(await errorMessage(response));
      const { operator, workspace } = await response.json();
      setMe({ id: operator.id, name: operator.name, role: operator.role, workspaceId: workspace.id, workspaceName: workspace.name });
    } catch {
      setProblem(OFFLINE);
    }
  }

  useEffect(() => void load(), []);

  // An invite link works signed in or not: accepting it signs the invitee in.
  const invite = useInviteToken();
  if (invite) {
    return (
      <InvitePage
        token={invite}
        onSignedIn={() => {
          location.hash = "#/";
          void load();
        }}
      />
    );
  }

  if (problem) {
    return (
      <div class="splash">
        <p>{problem}</p>
        <button type="button" class="secondary" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }
  if (me === undefined) return <Splash />;
  if (me === null) return <Login onSignedIn={() => void load()} />;
  return <Workspace me={me} onSignedOut={() => setMe(null)} />;
}

/** The token of an invite link (`#/invite/<token>`), while the address shows one. */
function useInviteToken(): string | null {
  const read = () => location.hash.match(/^#\/invite\/([A-Za-z0-9_.-]+)$/)?.[1] ?? null;
  const [token, setToken] = useState(read);
  useEffect(() => {
    const onHash = () => setToken(read());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  return token;
}

/** "Loading…" only when the answer is slow: a quick one would flash it, and draw a frame for nothing. */
function Splash() {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setShown(true), 400);
    return () => clearTimeout(timer);
  }, []);
  return shown ? <div class="splash muted">Loading…</div> : null;
}
