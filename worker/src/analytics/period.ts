import { sql, type SQL } from "drizzle-orm";
import { DAY_MS, dayKey, dayNumber, dayStart, offsetChanges, weekday } from "./zone";

export type GroupBy = "day" | "week" | "month";

/** A range of local days in a zone, as the instants it covers and the way its days group into buckets. */
export type Period = {
  zone: string;
  from: string;
  to: string;
  /** First and last local day numbers, both included. */
  firstDay: number;
  lastDay: number;
  /** [lo, hi): the instants the days cover. */
  lo: number;
  hi: number;
  groupBy: GroupBy;
};

export function periodOf(zone: string, from: string, to: string, groupBy: GroupBy): Period {
  const firstDay = dayNumber(from);
  const lastDay = dayNumber(to);
  return { zone, from, to, firstDay, lastDay, lo: dayStart(zone, firstDay), hi: dayStart(zone, lastDay + 1), groupBy };
}

/** The period of the same number of days just before this one. */
export function previousOf(p: Period): Period {
  const days = p.lastDay - p.firstDay + 1;
  return periodOf(p.zone, dayKey(p.firstDay - days), dayKey(p.firstDay - 1), p.groupBy);
}

/**
 * SQL for the local day number of an instant column: the instant plus the
 * zone's offset then, as a CASE over the offset changes in the period.
 */
export function localDaySql(p: Period, column: SQL): SQL {
  return sql`((${column} + ${offsetSql(p, column)}) / ${int(DAY_MS)})`;
}

/**
 * A whole number written into the SQL: libSQL takes a bound JS number as a
 * float, and integer division must stay integer division.
 */
const int = (n: number) => sql.raw(String(Math.trunc(n)));

/** SQL for the local hour of the day (0–23) of an instant column. */
export function localHourSql(p: Period, column: SQL): SQL {
  return sql`(((${column} + ${offsetSql(p, column)}) / 3600000) % 24)`;
}

function offsetSql(p: Period, column: SQL): SQL {
  const { first, changes } = offsetChanges(p.zone, p.lo, p.hi);
  if (changes.length === 0) return int(first);
  const arms = sql.join(
    changes.map((change, i) => sql`WHEN ${column} < ${int(change.at)} THEN ${int(i === 0 ? first : changes[i - 1]!.offset)}`),
    sql` `,
  );
  return sql`(CASE ${arms} ELSE ${int(changes.at(-1)!.offset)} END)`;
}

/** The key of the bucket a local day falls in: the day, its week's Monday, or its month's 1st. */
export function bucketOf(groupBy: GroupBy, day: number): string {
  if (groupBy === "day") return dayKey(day);
  if (groupBy === "week") return dayKey(day - weekday(day));
  return `${dayKey(day).slice(0, 7)}-01`;
}

/** Every bucket of the period, in order. */
export function bucketsOf(p: Period): string[] {
  const keys: string[] = [];
  for (let day = p.firstDay; day <= p.lastDay; day++) {
    const key = bucketOf(p.groupBy, day);
    if (keys.at(-1) !== key) keys.push(key);
  }
  return keys;
}

/** Counts per local day (as SQL returns them) summed into the period's buckets. */
export function intoBuckets(p: Period, rows: Array<{ day: number; n: number }>): number[] {
  const keys = bucketsOf(p);
  const index = new Map(keys.map((key, i) => [key, i]));
  const counts = keys.map(() => 0);
  for (const row of rows) {
    const i = index.get(bucketOf(p.groupBy, Number(row.day)));
    if (i !== undefined) counts[i]! += Number(row.n);
  }
  return counts;
}

/** The instants a bucket covers within the period (a week or month may start before it or end after it). */
export function bucketRange(p: Period, key: string): { lo: number; hi: number } | null {
  const first = dayNumber(key);
  const last = p.groupBy === "day" ? first : p.groupBy === "week" ? first + 6 : dayNumber(nextMonth(key)) - 1;
  const lo = Math.max(first, p.firstDay);
  const hi = Math.min(last, p.lastDay);
  if (lo > hi || bucketOf(p.groupBy, first) !== key) return null;
  return { lo: dayStart(p.zone, lo), hi: dayStart(p.zone, hi + 1) };
}

function nextMonth(key: string): string {
  const [y, m] = key.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}
