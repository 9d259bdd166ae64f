import { useEffect } from "preact/hooks";
import { AccountButton } from "./account/account-button";
import { Analytics } from "./analytics/load-analytics";
import { api } from "./api";
import type { Me } from "./app";
import { ConversationView } from "./conversation/conversation-view";
import { ConversationList } from "./inbox/conversation-list";
import { useInbox } from "./inbox/use-inbox";
import { Shortcuts } from "./keyboard/shortcuts";
import { can } from "./roles";
import { PresenceToggle } from "./routing/presence-toggle";
import { hrefOf, useRoute } from "./route";
import { SearchBox } from "./search/search-box";
import { SettingsView } from "./settings/settings-view";
import { SupervisorView } from "./supervisor/supervisor-view";

/** The signed-in screen: the inbox on the left, the open conversation beside it. */
export function Workspace(props: { me: Me; onSignedOut: () => void }) {
  const { me, onSignedOut } = props;
  const inbox = useInbox(me.workspaceId, onSignedOut);
  const [route, go] = useRoute();
  const selected = route.view === "inbox" ? route.conversation : null;
  const select = (id: string) => go({ view: "inbox", conversation: id });
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
      <Shortcuts me={me} />
      <aside class="sidebar">
        <div class="sidebar-head">
          <div>
            <div class="workspace-name">{me.workspaceName}</div>
            <div class="me">
              <span class={inbox.connected ? "dot online" : "dot"} title={inbox.connected ? "Live" : "Reconnecting…"} />
              {me.name}
            </div>
          </div>
          <div class="sidebar-actions">
            <PresenceToggle live={inbox.presence.get(me.id)} connected={inbox.connected} />
            <AccountButton />
            <button type="button" class="ghost" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </div>
        <nav class="views" aria-label="Views">
          <a href={hrefOf({ view: "inbox", conversation: null })} aria-current={route.view === "inbox" ? "page" : undefined}>
            Inbox
          </a>
          {can(me.role, "supervise") && (
            <a href={hrefOf({ view: "supervisor" })} data-testid="nav-supervisor" aria-current={route.view === "supervisor" ? "page" : undefined}>
              Supervisor
            </a>
          )}
          {can(me.role, "supervise") && (
            <a href={hrefOf({ view: "analytics", tab: "", query: "" })} data-testid="nav-analytics" aria-current={route.view === "analytics" ? "page" : undefined}>
              Analytics
            </a>
          )}
          <a href={hrefOf({ view: "settings", tab: "canned" })} data-testid="nav-settings" aria-current={route.view === "settings" ? "page" : undefined}>
            Settings
          </a>
        </nav>
        <SearchBox me={me} onOpen={select} />
        <ConversationList meId={me.id} conversations={inbox.conversations} loaded={inbox.loaded} selected={selected} onSelect={select} />
      </aside>
      <main class="main">
        {route.view === "settings" ? (
          <SettingsView me={me} tab={route.tab} />
        ) : route.view === "supervisor" ? (
          <SupervisorView me={me} inbox={inbox} />
        ) : route.view === "analytics" ? (
          can(me.role, "supervise") ? (
            <Analytics me={me} tab={route.tab} query={route.query} />
          ) : (
            <div class="empty">Analytics needs the supervisor role.</div>
          )
        ) : selected ? (
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
