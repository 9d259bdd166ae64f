// The analytics seed's calendar: days and hours in the workspace's time zone
// (daylight-saving changes included), when customers write, and when each
// operator is online, away or offline.
import type { Random } from "./analytics-seed-random";

export const SEED_TIME_ZONE = "Europe/Kyiv";

const MINUTE = 60_000;
const HOUR = 3_600_000;

const parts = new Intl.DateTimeFormat("en-US", {
  timeZone: SEED_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

const offsets = new Map<number, number>();

/** The zone's offset from UTC (ms) at an instant; constant within an hour, so kept per hour. */
function offsetAt(utc: number): number {
  const key = Math.floor(utc / HOUR);
  let offset = offsets.get(key);
  if (offset === undefined) {
    const at = key * HOUR;
    const p = Object.fromEntries(parts.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
    offset = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - at;
    offsets.set(key, offset);
  }
  return offset;
}

/** The local calendar day (YYYY-MM-DD) of an instant. */
export function localDay(utc: number): string {
  return new Date(utc + offsetAt(utc)).toISOString().slice(0, 10);
}

/** The local weekday of an instant, 0 = Monday. */
export function localWeekday(utc: number): number {
  return (new Date(`${localDay(utc)}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The instant of a local wall-clock time: `minutes` after midnight of `day` (YYYY-MM-DD). */
export function localTime(day: string, minutes: number): number {
  const wall = Date.parse(`${day}T00:00:00Z`) + minutes * MINUTE;
  const first = wall - offsetAt(wall);
  return wall - offsetAt(first);
}

export type Day = { index: number; date: string; /** 0 = Monday. */ weekday: number };

/** The `count` local days that end with the day of `end`, oldest first. */
export function lastDays(end: number, count: number): Day[] {
  const last = Date.parse(`${localDay(end)}T00:00:00Z`);
  return Array.from({ length: count }, (_, index) => {
    const date = new Date(last - (count - 1 - index) * 86_400_000);
    return { index, date: date.toISOString().slice(0, 10), weekday: (date.getUTCDay() + 6) % 7 };
  });
}

// Relative traffic by local hour: quiet nights, a working-day hump, a long evening.
const WEEKDAY_HOURS = [0.15, 0.1, 0.07, 0.05, 0.05, 0.08, 0.2, 0.45, 0.8, 1.1, 1.3, 1.35, 1.25, 1.2, 1.3, 1.3, 1.2, 1.0, 0.85, 0.75, 0.7, 0.6, 0.45, 0.3];
const WEEKEND_HOURS = [0.25, 0.15, 0.1, 0.07, 0.05, 0.05, 0.1, 0.2, 0.35, 0.55, 0.75, 0.9, 0.95, 0.95, 0.9, 0.9, 0.85, 0.8, 0.8, 0.8, 0.75, 0.65, 0.5, 0.35];
const WEEKDAYS = [1.0, 1.05, 1.0, 0.95, 0.9, 0.5, 0.4];

/** How busy each day is: weekdays over weekends, a year of growth, quiet holidays, some noise. */
export function dayWeights(days: Day[], random: Random): number[] {
  return days.map((day) => {
    const growth = 0.75 + (0.5 * day.index) / days.length;
    const md = day.date.slice(5);
    const holiday = md === "01-01" || md === "01-02" || md === "12-25" || md === "08-24" ? 0.35 : 1;
    return WEEKDAYS[day.weekday] * growth * holiday * random.between(0.85, 1.15);
  });
}

/** When on `day` a customer starts a conversation: a local hour by the day's rhythm, then any second of it. */
export function startOn(day: Day, random: Random): number {
  const hour = random.weighted(day.weekday < 5 ? WEEKDAY_HOURS : WEEKEND_HOURS);
  return localTime(day.date, hour * 60) + random.int(0, HOUR - 1);
}

/** An operator's working pattern: which weekdays, which local hours (minutes after midnight). */
export type Shift = { weekdays: number[]; start: number; end: number };

export type PresenceChange = { operator: number; presence: "online" | "away" | "offline"; reason: string; bySystem: boolean; at: number };

/** When each operator was online (to be given a chat) and when they went offline (their chats went back). */
export type Roster = {
  changes: PresenceChange[];
  /** Per operator: sorted, disjoint [from, to) spans online. */
  online: Array<Array<[number, number]>>;
  /** Per operator: the sorted moments they went offline. */
  offline: number[][];
};

/**
 * A year of shifts: each working day an operator connects, takes a lunch
 * break and maybe a short one, may drop off and reconnect, and leaves at
 * the end; two weeks of holiday each and a few sick days.
 */
export function buildRoster(days: Day[], shifts: Shift[], random: Random, end: number): Roster {
  const roster: Roster = { changes: [], online: shifts.map(() => []), offline: shifts.map(() => []) };
  shifts.forEach((shift, operator) => {
    const holiday = random.int(0, days.length - 15);
    let state: PresenceChange["presence"] = "offline";
    let onlineSince = 0;
    const change = (at: number, presence: PresenceChange["presence"], reason: string, bySystem = false) => {
      if (at > end || presence === state) return;
      if (state === "online") roster.online[operator].push([onlineSince, at]);
      if (presence === "online") onlineSince = at;
      if (presence === "offline") roster.offline[operator].push(at);
      state = presence;
      roster.changes.push({ operator, presence, reason, bySystem, at });
    };
    for (const day of days) {
      if (!shift.weekdays.includes(day.weekday)) continue;
      if ((day.index >= holiday && day.index < holiday + 14) || random.chance(0.02)) continue;
      const at = (minutes: number) => localTime(day.date, minutes) + random.int(0, 59_999);
      const start = shift.start + random.int(-10, 15);
      const finish = shift.end + random.int(-15, 30);
      const lunch = Math.round((start + finish) / 2) + random.int(-60, 45);
      const lunchEnd = lunch + random.int(30, 60);
      change(at(start), "online", "dashboard connected");
      if (random.chance(0.5)) {
        const pause = random.int(start + 30, lunch - 20);
        change(at(pause), "away", "set by the operator");
        change(at(pause + random.int(5, 15)), "online", "set by the operator");
      }
      change(at(lunch), "away", "set by the operator");
      change(at(lunchEnd), "online", "set by the operator");
      if (random.chance(0.12)) {
        // The laptop slept or the network dropped: the dashboard's socket went, then came back.
        const drop = random.int(lunchEnd + 20, finish - 20);
        change(at(drop), "offline", "dashboard disconnected", true);
        change(at(drop + random.int(1, 6)), "online", "dashboard connected");
      }
      if (random.chance(0.7)) change(at(finish), "offline", "set by the operator");
      else change(at(finish), "offline", "dashboard disconnected", true);
    }
    // Still online at the end (`change` set it; the compiler cannot see that).
    if ((state as PresenceChange["presence"]) === "online") roster.online[operator].push([onlineSince, Number.MAX_SAFE_INTEGER]);
  });
  roster.changes.sort((a, b) => a.at - b.at);
  return roster;
}

/** The first span of `spans` that is still going at or after `t`: when the operator is (next) online. */
export function nextOnline(spans: Array<[number, number]>, t: number): [number, number] | null {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid][1] <= t) lo = mid + 1;
    else hi = mid;
  }
  const span = spans[lo];
  return span ? [Math.max(span[0], t), span[1]] : null;
}

/** The first moment in (from, to) at which the operator went offline, or null. */
export function offlineWithin(moments: number[], from: number, to: number): number | null {
  let lo = 0;
  let hi = moments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (moments[mid] <= from) lo = mid + 1;
    else hi = mid;
  }
  return lo < moments.length && moments[lo] < to ? moments[lo] : null;
}
