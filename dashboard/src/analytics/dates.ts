// Calendar days ("2026-03-29") in the workspace's time zone, for the date range presets.
// A day is a label, not an instant: arithmetic on it is done at UTC noon, where no
// daylight-saving change can move it to another day.

export const PRESETS = ["today", "7", "30", "90", "custom"] as const;
export type Preset = (typeof PRESETS)[number];

const DAY_MS = 86_400_000;

/** The day it is at `now` in `timeZone`. */
export function todayIn(timeZone: string, now = Date.now()): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** The day `n` days after `day` (before, when negative). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysIn(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / DAY_MS) + 1;
}

/** The range a preset stands for at `now`: the last n days up to and including today, in the workspace's time zone. */
export function presetRange(preset: Exclude<Preset, "custom">, timeZone: string, now = Date.now()): { from: string; to: string } {
  const to = todayIn(timeZone, now);
  return { from: preset === "today" ? to : addDays(to, 1 - Number(preset)), to };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Monday first, as the heat map's rows are. */
export const weekdayName = (weekday: number) => WEEKDAYS[weekday]!;

/** "3 Mar 2026"; `short` leaves out the year: "3 Mar". */
export function dayLabel(day: string, short = false): string {
  const [year, month, date] = day.split("-").map(Number);
  return `${date} ${MONTHS[month! - 1]}${short ? "" : ` ${year}`}`;
}

/** A time series bucket as a table shows it: its day, the week that starts on it, or its month. */
export function bucketLabel(bucket: string, groupBy: "day" | "week" | "month", short = false): string {
  if (groupBy === "month") return `${MONTHS[Number(bucket.slice(5, 7)) - 1]} ${bucket.slice(0, 4)}`;
  return `${groupBy === "week" && !short ? "Week of " : ""}${dayLabel(bucket, short)}`;
}

/** "1 – 7 Dec 2026", "28 Nov – 4 Dec 2026", "29 Dec 2025 – 4 Jan 2026"; one day as itself. */
export function rangeLabel(from: string, to: string): string {
  if (from === to) return dayLabel(from);
  const start = from.slice(0, 4) !== to.slice(0, 4) ? dayLabel(from) : from.slice(5, 7) !== to.slice(5, 7) ? dayLabel(from, true) : String(Number(from.slice(8)));
  return `${start} – ${dayLabel(to)}`;
}
