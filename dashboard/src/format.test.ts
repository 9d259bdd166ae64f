import { describe, expect, it } from "vitest";
import { ago, clock, day } from "./format";

describe("format", () => {
  it("writes the clock by hand, 24-hour outside the 12-hour languages", () => {
    // Node has no navigator.language here, so the 24-hour clock applies.
    expect(clock(new Date(2026, 10, 23, 14, 5).getTime())).toBe("14:05");
    expect(clock(new Date(2026, 10, 23, 0, 0).getTime())).toBe("00:00");
  });

  it("names today and yesterday, then the date", () => {
    const now = new Date(2026, 10, 23, 0, 30).getTime();
    expect(day(new Date(2026, 10, 23, 0, 1).getTime(), now)).toBe("Today");
    expect(day(new Date(2026, 10, 22, 23, 59).getTime(), now)).toBe("Yesterday");
    // Across a month's end too.
    expect(day(new Date(2026, 10, 30, 12).getTime(), new Date(2026, 11, 1, 9).getTime())).toBe("Yesterday");
    const older = day(new Date(2026, 10, 20, 12).getTime(), now);
    expect(older).not.toMatch(/Today|Yesterday/);
    expect(older).toContain("20");
    expect(day(new Date(2025, 1, 3).getTime(), now)).toContain("2025");
  });

  it("says how long ago in minutes and hours, then the date", () => {
    const now = Date.UTC(2026, 10, 23, 12);
    expect(ago(now - 30_000, now)).toBe("now");
    expect(ago(now - 5 * 60_000, now)).toBe("5 min");
    expect(ago(now - 3 * 3_600_000, now)).toBe("3 h");
    expect(ago(now - 3 * 86_400_000, now)).toMatch(/20/);
  });
});
