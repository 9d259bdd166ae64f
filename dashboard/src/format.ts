const minute = 60_000;

/** "now", "5 min", "3 h", then a date: how long ago, for lists. */
export function ago(at: number, now = Date.now()): string {
  const elapsed = now - at;
  if (elapsed < minute) return "now";
  if (elapsed < 60 * minute) return `${Math.floor(elapsed / minute)} min`;
  if (elapsed < 24 * 60 * minute) return `${Math.floor(elapsed / (60 * minute))} h`;
  return new Date(at).toLocaleDateString([], { day: "numeric", month: "short" });
}

export function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** "Today", "Yesterday" or the date, for day separators. */
export function day(at: number, now = Date.now()): string {
  const date = new Date(at);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) return "Today";
  today.setDate(today.getDate() - 1);
  if (date.toDateString() === today.toDateString()) return "Yesterday";
  // Within the year the weekday helps more than the year does.
  return date.getFullYear() === today.getFullYear()
    ? date.toLocaleDateString([], { weekday: "long", day: "numeric", month: "long" })
    : date.toLocaleDateString([], { day: "numeric", month: "long", year: "numeric" });
}

/** A visitor without a name yet, told apart by the end of their conversation id. */
export function visitorLabel(name: string | null, conversationId: string): string {
  return name ?? `Visitor ${conversationId.slice(-4)}`;
}
