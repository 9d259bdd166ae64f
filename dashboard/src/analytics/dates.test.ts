import { describe, expect, it } from "vitest";
import { addDays, bucketLabel, daysIn, presetRange, rangeLabel, todayIn } from "./dates";

describe("date presets in the workspace's time zone", () => {
  it("takes today from the time zone, not from UTC", () => {
    const at = Date.parse("2026-06-10T22:30:00Z");
    expect(todayIn("UTC", at)).toBe("2026-06-10");
    expect(todayIn("Europe/Kyiv", at)).toBe("2026-06-11");
    expect(todayIn("America/Los_Angeles", at)).toBe("2026-06-10");
    expect(presetRange("today", "Europe/Kyiv", at)).toEqual({ from: "2026-06-11", to: "2026-06-11" });
    expect(presetRange("7", "Europe/Kyiv", at)).toEqual({ from: "2026-06-05", to: "2026-06-11" });
  });

  it("counts calendar days across a daylight-saving change", () => {
    // Berlin springs forward on 29 March 2026: that day has 23 hours.
    const afterSpring = Date.parse("2026-03-29T22:30:00Z"); // 00:30 on the 30th, summer time
    expect(todayIn("Europe/Berlin", afterSpring)).toBe("2026-03-30");
    expect(presetRange("7", "Europe/Berlin", afterSpring)).toEqual({ from: "2026-03-24", to: "2026-03-30" });
    // New York falls back on 1 November 2026 (a 25-hour day); 04:30 UTC is still 00:30 summer time.
    const fall = Date.parse("2026-11-01T04:30:00Z");
    expect(todayIn("America/New_York", fall)).toBe("2026-11-01");
    expect(todayIn("America/New_York", Date.parse("2026-11-02T04:30:00Z"))).toBe("2026-11-01"); // 23:30 winter time
    expect(presetRange("30", "America/New_York", fall)).toEqual({ from: "2026-10-03", to: "2026-11-01" });
    expect(daysIn("2026-10-03", "2026-11-01")).toBe(30);
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
  });

  it("labels buckets by day, week and month", () => {
    expect(bucketLabel("2026-03-02", "day")).toBe("2 Mar 2026");
    expect(bucketLabel("2026-03-02", "week")).toBe("Week of 2 Mar 2026");
    expect(bucketLabel("2026-03-01", "month")).toBe("Mar 2026");
    expect(bucketLabel("2026-03-02", "day", true)).toBe("2 Mar");
  });

  it("writes a range short where its ends share the month or the year", () => {
    expect(rangeLabel("2026-12-01", "2026-12-07")).toBe("1 – 7 Dec 2026");
    expect(rangeLabel("2026-11-28", "2026-12-04")).toBe("28 Nov – 4 Dec 2026");
    expect(rangeLabel("2025-12-29", "2026-01-04")).toBe("29 Dec 2025 – 4 Jan 2026");
    expect(rangeLabel("2026-12-07", "2026-12-07")).toBe("7 Dec 2026");
  });
});
