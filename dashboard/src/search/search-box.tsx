import type { Me } from "../app";

// PLACEHOLDER (issue 4): conversation search in the sidebar; the settings/search helper fills it in.
export function SearchBox(_props: { me: Me; onOpen: (conversationId: string) => void }) {
  return null;
}
