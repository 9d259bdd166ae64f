import { useEffect, useState } from "preact/hooks";
import { api } from "./api";
import { Login } from "./login";
import { Workspace } from "./workspace";

export type Me = { id: string; name: string; role: string; workspaceId: string; workspaceName: string };

/** Signed in or not: asks the server, which is the only judge. */
export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  async function load() {
    const response = await api.me.$get();
    const body = await response.json();
    if ("error" in body) return setMe(null);
    const { operator, workspace } = body;
    setMe({ id: operator.id, name: operator.name, role: operator.role, workspaceId: workspace.id, workspaceName: workspace.name });
  }

  useEffect(() => void load(), []);

  if (me === undefined) return <div class="splash">Loading…</div>;
  if (me === null) return <Login onSignedIn={() => void load()} />;
  return <Workspace me={me} onSignedOut={() => setMe(null)} />;
}
