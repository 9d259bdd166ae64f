import { useEffect, useState } from "preact/hooks";
import { api } from "./api";
import type { Me } from "./app";
import { ConversationView } from "./conversation/conversation-view";
import { ConversationList } from "./inbox/conversation-list";
import { useInbox } from "./inbox/use-inbox";

/** The open conversation lives in the URL hash, so a reload comes back to it. */
function useSelection(): [string | null, (id: string) => void] {
  const read = () => location.hash.match(/^#\/c\/([0-9A-Z]{26})$/)?.[1] ?? null;
  const [selected, setSelected] = useState(read);
  useEffect(() => {
    const onHash = () => setSelected(read());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  return [selected, (id) => (location.hash = `#/c/${id}`)];
}

/** The signed-in screen: the inbox on the left, the open conversation beside it. */
export function Workspace(props: { me: Me; onSignedOut: () => void }) {
  const { me, onSignedOut } = props;
  const inbox = useInbox(me.workspaceId, onSignedOut);
  const [selected, select] = useSelection();
  const waiting = [...inbox.conversations.values()].filter((c) => c.status === "queued").length;

  useEffect(() => {
    document.title = waiting ? `(${waiting}) Tandem` : "Tandem";
  }, [waiting]);

  async function signOut() {
    await api.logout.$post();
    onSignedOut();
  }

  return (
    <div class="layout">
      <aside class="sidebar">
        <div class="sidebar-head">
          <div>
            <div class="workspace-name">{me.workspaceName}</div>
            <div class="me">
              <span class={inbox.connected ? "dot online" : "dot"} title={inbox.connected ? "Live" : "Reconnecting…"} />
              {me.name}
            </div>
          </div>
          <button type="button" class="ghost" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
        <ConversationList meId={me.id} conversations={inbox.conversations} selected={selected} onSelect={select} />
      </aside>
      <main class="main">
        {selected ? (
          <ConversationView key={selected} id={selected} me={me} onSignedOut={onSignedOut} />
        ) : (
          <div class="empty">
            <p>Pick a conversation on the left.</p>
            <p class="muted">{waiting ? `${waiting} waiting in the queue.` : "No one is waiting right now."}</p>
          </div>
        )}
      </main>
    </div>
  );
}
