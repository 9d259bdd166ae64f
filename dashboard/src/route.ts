import { useEffect, useState } from "preact/hooks";

/** Where the dashboard is, kept in the URL hash so a reload comes back to it. */
export type Route =
  | { view: "inbox"; conversation: string | null }
  | { view: "supervisor" }
  /** `tab` is the chunk's to check (an unknown one opens the first); `query` holds its filters. */
  | { view: "analytics"; tab: string; query: string }
  | { view: "settings"; tab: SettingsTab };

export const SETTINGS_TABS = ["sites", "operators", "groups", "knowledge", "canned", "tags"] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

export function readRoute(hash = location.hash): Route {
  const conversation = hash.match(/^#\/c\/([0-9A-Z]{26})$/)?.[1];
  if (conversation) return { view: "inbox", conversation };
  if (hash === "#/supervisor") return { view: "supervisor" };
  const analytics = hash.match(/^#\/analytics(?:\/(\w+))?(?:\?(.*))?$/);
  if (analytics) return { view: "analytics", tab: analytics[1] ?? "", query: analytics[2] ?? "" };
  const tab = hash.match(/^#\/settings(?:\/(\w+))?$/);
  if (tab) return { view: "settings", tab: SETTINGS_TABS.find((t) => t === tab[1]) ?? "sites" };
  return { view: "inbox", conversation: null };
}

export function hrefOf(route: Route): string {
  if (route.view === "inbox") return route.conversation ? `#/c/${route.conversation}` : "#/";
  if (route.view === "supervisor") return "#/supervisor";
  if (route.view === "analytics") return `#/analytics${route.tab ? `/${route.tab}` : ""}${route.query ? `?${route.query}` : ""}`;
  return `#/settings/${route.tab}`;
}

export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const onHash = () => setRoute(readRoute());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  return [route, (next) => (location.hash = hrefOf(next))];
}
