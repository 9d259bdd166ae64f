import type { Me } from "../app";
import { KnowledgeSettings } from "../knowledge/knowledge-settings";
import { can } from "../roles";
import { hrefOf, type SettingsTab } from "../route";
import { CannedRepliesSettings } from "./canned-replies";
import { GroupsSettings } from "./groups";
import { OperatorsSettings } from "./operators";
import { SitesSettings } from "./sites";
import { TagsSettings } from "./tags";

const TABS: { tab: SettingsTab; label: string; admin: boolean }[] = [
  { tab: "sites", label: "Sites", admin: true },
  { tab: "operators", label: "Operators", admin: true },
  { tab: "groups", label: "Groups", admin: true },
  { tab: "knowledge", label: "Knowledge base", admin: true },
  { tab: "canned", label: "Canned replies", admin: false },
  { tab: "tags", label: "Tags", admin: false },
];

/** The workspace's settings, one tab each; the tabs an operator's role may not open are not shown. */
export function SettingsView(props: { me: Me; tab: SettingsTab }) {
  const { me } = props;
  const tabs = TABS.filter((t) => !t.admin || can(me.role, "administer"));
  const tab = tabs.find((t) => t.tab === props.tab)?.tab ?? "canned";
  return (
    <section class="settings">
      <nav class="settings-tabs" aria-label="Settings">
        {tabs.map((t) => (
          <a key={t.tab} href={hrefOf({ view: "settings", tab: t.tab })} data-testid={`settings-${t.tab}`} aria-current={t.tab === tab ? "page" : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      <div class="settings-body">
        {tab === "sites" && <SitesSettings me={me} />}
        {tab === "operators" && <OperatorsSettings me={me} />}
        {tab === "groups" && <GroupsSettings me={me} />}
        {tab === "knowledge" && <KnowledgeSettings me={me} />}
        {tab === "canned" && <CannedRepliesSettings me={me} />}
        {tab === "tags" && <TagsSettings me={me} />}
      </div>
    </section>
  );
}
