import { weekdays, type WorkingHours } from "@tandem/protocol";
import { DAY_MS, instantOf, localDay, weekday } from "./zone";

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * The part of [start, end) that falls inside a site's working hours, in ms.
 * A site without hours is always open. Each local day's openings are turned
 * into instants in the site's zone, so a day of 23 or 25 hours counts right.
 */
export function withinHours(hours: WorkingHours, start: number, end: number): number {
  if (end <= start) return 0;
  if (!("timeZone" in hours)) return end - start;
  const zone = hours.timeZone;
  let total = 0;
  const last = localDay(zone, end);
  for (let day = localDay(zone, start) - 1; day <= last; day++) {
    for (const [from, to] of hours.days[weekdays[weekday(day)]!] ?? []) {
      const open = instantOf(zone, day * DAY_MS + minutes(from) * 60_000);
      const close = instantOf(zone, day * DAY_MS + minutes(to) * 60_000);
      total += Math.max(0, Math.min(end, close) - Math.max(start, open));
    }
  }
  return total;
}
