import { weekdays, type WorkingHours } from "@tandem/protocol";

export type OpeningState = { open: boolean; opensAt: number | null };

const MINUTE = 60_000;

/**
 * Whether operators are in now, by the site's clock, and when they next come
 * in (null when open, or when no day has hours). Empty hours are always open.
 */
export function openingState(hours: WorkingHours, now = Date.now()): OpeningState {
  if (!("timeZone" in hours)) return { open: true, opensAt: null };
  const clock = wallClock(hours.timeZone);
  const today = clock(now);
  const minute = today.hour * 60 + today.minute;
  const rangesOn = (offset: number) => hours.days[weekdays[(today.weekday + offset) % 7]].map(([s, e]) => [minutes(s), minutes(e)]);

  if (rangesOn(0).some(([start, end]) => start <= minute && minute < end)) return { open: true, opensAt: null };

  // The next start, today or on one of the next seven days (a week later, for a site open one hour a week).
  for (let offset = 0; offset <= 7; offset++) {
    const starts = rangesOn(offset)
      .map(([start]) => start)
      .filter((start) => offset > 0 || start > minute)
      .sort((a, b) => a - b);
    if (starts.length === 0) continue;
    const wall = Date.UTC(today.year, today.month - 1, today.day + offset) + starts[0] * MINUTE;
    return { open: false, opensAt: wallToUtc(wall, clock) };
  }
  return { open: false, opensAt: null };
}

function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number };

/** Reads an instant on the zone's wall clock; weekday 0 is Monday. */
function wallClock(timeZone: string): (at: number) => Wall {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    weekday: "short",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  return (at) => {
    const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
    return {
      year: Number(parts.year),
      month: Number(parts.month),
      day: Number(parts.day),
      hour: Number(parts.hour),
      minute: Number(parts.minute),
      second: Number(parts.second),
      weekday: days.indexOf(parts.weekday),
    };
  };
}

/** The instant a wall-clock time (written as if it were UTC) happens in the zone; DST moves the offset, so it is taken twice. */
function wallToUtc(wall: number, clock: (at: number) => Wall): number {
  const offsetAt = (at: number) => {
    const w = clock(at);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
  };
  const guess = wall - offsetAt(wall);
  return wall - offsetAt(guess);
}
