import type { ConversationSummary } from "@tandem/protocol";

export type Tab = "queue" | "mine" | "open" | "closed";

export const TABS: Array<{ id: Tab; label: string }> = [
  { id: "queue", label: "Queue" },
  { id: "mine", label: "Mine" },
  { id: "open", label: "All open" },
  { id: "closed", label: "Closed" },
];

/** When a conversation last moved, for sorting and "5 min" labels. */
export const lastActivity = (c: ConversationSummary) => c.lastMessageAt ?? c.createdAt;

/** Which conversations a tab shows, in its order: the queue oldest-waiting first, the rest newest activity first. */
export function conversationsIn(tab: Tab, all: ConversationSummary[], meId: string): ConversationSummary[] {
  if (tab === "queue") {
    const waiting = (c: ConversationSummary) => c.escalatedAt ?? c.createdAt;
    return all.filter((c) => c.status === "queued").sort((a, b) => waiting(a) - waiting(b));
  }
  const shown = all.filter((c) =>
    tab === "mine" ? c.status === "assigned" && c.assignee?.id === meId : tab === "open" ? c.status === "queued" || c.status === "assigned" : c.status === "closed",
  );
  return shown.sort((a, b) => lastActivity(b) - lastActivity(a));
}
