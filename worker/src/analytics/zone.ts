// Wall-clock time in an IANA zone, exact across daylight-saving changes.

export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string) {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
export function offsetAt(zone: string, at: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(at)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/** The instant at which the zone's wall clock shows `wall` (ms of a UTC-read wall time); the later one in a repeated hour. */
export function instantOf(zone: string, wall: number): number {
  const first = wall - offsetAt(zone, wall);
  const second = wall - offsetAt(zone, first);
  return second;
}

/** The day number (days since 1970-01-01) of a `YYYY-MM-DD`. */
export const dayNumber = (day: string) => Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
/** `YYYY-MM-DD` of a day number. */
export const dayKey = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** The instant a local day (by number) starts in the zone. */
export const dayStart = (zone: string, n: number) => instantOf(zone, n * DAY_MS);
/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export const weekday = (n: number) => (((n + 3) % 7) + 7) % 7;

/** The local day number of an instant. */
export const localDay = (zone: string, at: number) => Math.floor((at + offsetAt(zone, at)) / DAY_MS);

/**
 * The zone's offsets over [from, to): the first offset, then each change
 * with the instant it takes effect. Found by stepping a week at a time and
 * narrowing each change down to the millisecond.
 */
export function offsetChanges(zone: string, from: number, to: number): { first: number; changes: Array<{ at: number; offset: number }> } {
  const first = offsetAt(zone, from);
  const changes: Array<{ at: number; offset: number }> = [];
  let at = from;
  let offset = first;
  const STEP = 7 * DAY_MS;
  while (at < to) {
    const next = Math.min(at + STEP, to);
    const later = offsetAt(zone, next);
    if (later !== offset) {
      let lo = at;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(zone, mid) === offset) lo = mid;
        else hi = mid;
      }
      changes.push({ at: hi, offset: later });
      offset = later;
      at = hi;
    } else at = next;
  }
  return { first, changes };
}
