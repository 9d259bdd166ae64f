const minute = 60_000;

// The first Intl.DateTimeFormat of a page costs ~40 ms (ICU's locale and time
// zone data); toLocale*String pays ~0.2 ms on every call. So the clock, which
// every message shows, is written by hand, and the formatters for older dates
// are made once, on first need.
const h12 = /^en-(US|CA|AU|NZ|IN|PH)$|^(hi|bn|ur|ar|ko)\b/.test(globalThis.navigator?.language ?? "");
const lazy = (options: Intl.DateTimeFormatOptions) => {
  let format: Intl.DateTimeFormat | undefined;
  return (at: number | Date) => (format ??= new Intl.DateTimeFormat([], options)).format(at);
};
const shortDate = lazy({ day: "numeric", month: "short" });
const dayInYear = lazy({ weekday: "long", day: "numeric", month: "long" });
const fullDate = lazy({ day: "numeric", month: "long", year: "numeric" });

/** "now", "5 min", "3 h", then a date: how long ago, for lists. */
export function ago(at: number, now = Date.now()): string {
  const elapsed = now - at;
  if (elapsed < minute) return "now";
  if (elapsed < 60 * minute) return `${Math.floor(elapsed / minute)} min`;
  if (elapsed < 24 * 60 * minute) return `${Math.floor(elapsed / (60 * minute))} h`;
  return shortDate(at);
}

/** "14:05", or "2:05 PM" where the operator's language keeps a 12-hour clock. */
export function clock(at: number): string {
  const date = new Date(at);
  const hours = date.getHours();
  const minutes = String(date.getMinutes()).padStart(2, "0");
  if (!h12) return `${String(hours).padStart(2, "0")}:${minutes}`;
  return `${hours % 12 || 12}:${minutes} ${hours < 12 ? "AM" : "PM"}`;
}

const dayOf = (d: Date) => d.getFullYear() * 10_000 + d.getMonth() * 100 + d.getDate();

/** "Today", "Yesterday" or the date, for day separators. */
export function day(at: number, now = Date.now()): string {
  const date = new Date(at);
  const today = new Date(now);
  if (dayOf(date) === dayOf(today)) return "Today";
  today.setDate(today.getDate() - 1);
  if (dayOf(date) === dayOf(today)) return "Yesterday";
  // Within the year the weekday helps more than the year does.
  return date.getFullYear() === today.getFullYear() ? dayInYear(date) : fullDate(date);
}

/** A visitor without a name yet, told apart by the end of their conversation id. */
export function visitorLabel(name: string | null, conversationId: string): string {
  return name ?? `Visitor ${conversationId.slice(-4)}`;
}
