import { HISTOGRAM_BOUNDS } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../../scripts/test-kit/clients";
import { fromSummaryRow, summarize, summarySql, wilsonLower } from "./distribution";
import { csvField } from "./export";
import { bucketRange, bucketsOf, intoBuckets, localDaySql, localHourSql, periodOf } from "./period";
import { withinHours } from "./working-hours";
import { dayKey, dayNumber, dayStart, offsetAt } from "./zone";

// The pieces every figure is made of, each against numbers worked out by hand.

const KYIV = "Europe/Kyiv";
const HOUR = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

describe("days in a time zone", () => {
  it("knows Kyiv's offset on both sides of each change of 2026", () => {
    expect(offsetAt(KYIV, utc("2026-03-29T00:59:59Z"))).toBe(2 * HOUR);
    expect(offsetAt(KYIV, utc("2026-03-29T01:00:00Z"))).toBe(3 * HOUR);
    expect(offsetAt(KYIV, utc("2026-10-25T00:59:59Z"))).toBe(3 * HOUR);
    expect(offsetAt(KYIV, utc("2026-10-25T01:00:00Z"))).toBe(2 * HOUR);
  });

  it("gives a spring day 23 hours and an autumn day 25", () => {
    const length = (day: string) => dayStart(KYIV, dayNumber(day) + 1) - dayStart(KYIV, dayNumber(day));
    expect(length("2026-03-29")).toBe(23 * HOUR);
    expect(length("2026-10-25")).toBe(25 * HOUR);
    expect(length("2026-11-03")).toBe(24 * HOUR);
    expect(dayStart(KYIV, dayNumber("2026-10-25"))).toBe(utc("2026-10-24T21:00:00Z"));
    expect(dayStart(KYIV, dayNumber("2026-10-26"))).toBe(utc("2026-10-25T22:00:00Z"));
  });

  it("buckets days into weeks from Monday and into months", () => {
    const week = periodOf("UTC", "2026-11-04", "2026-11-17", "week");
    expect(bucketsOf(week)).toEqual(["2026-11-02", "2026-11-09", "2026-11-16"]);
    expect(intoBuckets(week, [{ day: dayNumber("2026-11-04"), n: 2 }, { day: dayNumber("2026-11-15"), n: 1 }, { day: dayNumber("2026-11-16"), n: 4 }])).toEqual([2, 1, 4]);
    // The first week starts before the period: its drill-down covers only the period's days.
    expect(bucketRange(week, "2026-11-02")).toEqual({ lo: utc("2026-11-04T00:00:00Z"), hi: utc("2026-11-09T00:00:00Z") });
    expect(bucketRange(week, "2026-11-03")).toBeNull();
    const month = periodOf("UTC", "2026-01-20", "2026-03-02", "month");
    expect(bucketsOf(month)).toEqual(["2026-01-01", "2026-02-01", "2026-03-01"]);
    expect(bucketRange(month, "2026-02-01")).toEqual({ lo: utc("2026-02-01T00:00:00Z"), hi: utc("2026-03-01T00:00:00Z") });
    expect(dayKey(dayNumber("2028-02-29"))).toBe("2028-02-29");
  });

  it("reads local days and hours in SQL exactly across the autumn change", async () => {
    const p = periodOf(KYIV, "2026-10-24", "2026-10-26", "day");
    const instants = ["2026-10-24T20:59:59Z", "2026-10-24T21:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-10-25T21:59:59Z", "2026-10-25T22:00:00Z"];
    const rows = await database().all<{ day: number; hour: number }>(
      sql.join(
        instants.map((iso) => sql`SELECT ${localDaySql(p, sql.raw(String(utc(iso))))} AS day, ${localHourSql(p, sql.raw(String(utc(iso))))} AS hour`),
        sql` UNION ALL `,
      ),
    );
    expect(rows.map((r) => [dayKey(Number(r.day)), Number(r.hour)])).toEqual([
      ["2026-10-24", 23],
      ["2026-10-25", 0],
      // 03:30 summer time, then 03:30 again in winter time: the hour that happens twice.
      ["2026-10-25", 3],
      ["2026-10-25", 3],
      ["2026-10-25", 23],
      ["2026-10-26", 0],
    ]);
  });
});

describe("working hours", () => {
  const weekdays = { mon: [["09:00", "18:00"]], tue: [["09:00", "18:00"]], wed: [["09:00", "18:00"]], thu: [["09:00", "18:00"]], fri: [["09:00", "18:00"]] };
  const hours = { timeZone: KYIV, days: { sat: [], sun: [], ...weekdays } } as never;

  it("counts only the open part of a wait over a weekend", () => {
    // Friday 2026-11-06 17:50 Kyiv (UTC+2) to Monday 09:05: 10 min on Friday, 5 on Monday.
    expect(withinHours(hours, utc("2026-11-06T15:50:00Z"), utc("2026-11-09T07:05:00Z"))).toBe(15 * 60_000);
    expect(withinHours(hours, utc("2026-11-07T10:00:00Z"), utc("2026-11-07T12:00:00Z"))).toBe(0);
    expect(withinHours({}, 1_000, 61_000)).toBe(60_000);
    expect(withinHours(hours, 5_000, 1_000)).toBe(0);
  });

  it("keeps a working day nine hours long across the spring change", () => {
    // Monday 2026-03-30, the first working day of summer time: 09:00–18:00 is 06:00–15:00 UTC.
    expect(withinHours(hours, utc("2026-03-27T00:00:00Z"), utc("2026-03-31T00:00:00Z"))).toBe(18 * HOUR);
  });
});

describe("distributions", () => {
  it("takes nearest-rank percentiles", () => {
    expect(summarize([4, 1, 3, 2])).toMatchObject({ n: 4, min: 1, p50: 2, mean: 3, p90: 4, max: 4 });
    expect(summarize([10])).toMatchObject({ n: 1, p50: 10, p90: 10 });
    const ten = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => s * 1000));
    expect(ten).toMatchObject({ p50: 5000, p90: 9000, mean: 5500 });
    expect(summarize([])).toEqual({ n: 0, min: null, p50: null, mean: null, p90: null, max: null, histogram: new Array(HISTOGRAM_BOUNDS.length + 1).fill(0) });
  });

  it("puts a value on a bound into the bin it closes", () => {
    const { histogram } = summarize([0, 30_000, 30_001, 60_000, 86_400_000, 86_400_001]);
    expect(histogram).toEqual([2, 2, 0, 0, 0, 0, 0, 0, 1, 1]);
  });

  it("is the same summarized in SQL as in the Worker", async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (const size of [1, 2, 3, 10, 99, 257]) {
      const values = Array.from({ length: size }, () => Math.floor(random() ** 3 * 100_000_000));
      const list = sql.join(
        values.map((v) => sql.raw(`SELECT ${v} AS v`)),
        sql` UNION ALL `,
      );
      const [row] = await database().all<Record<string, unknown>>(summarySql(list));
      expect(fromSummaryRow(row), `n = ${size}`).toEqual(summarize(values));
    }
  });

  it("ranks three 5-star ratings below ninety mostly happy ones (Wilson)", () => {
    const three = wilsonLower(3, 3)!;
    const ninety = wilsonLower(88, 90)!;
    expect(three).toBeCloseTo(0.4385, 3);
    expect(ninety).toBeGreaterThan(0.9);
    expect(wilsonLower(0, 0)).toBeNull();
  });
});

describe("CSV fields", () => {
  it("quotes what must be quoted and defuses formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvField("=1+2")).toBe("'=1+2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField(-3)).toBe("-3");
    expect(csvField(null)).toBe("");
    expect(csvField("Олена")).toBe("Олена");
  });
});
