import type { WorkingHours } from "@tandem/protocol";
import { describe, expect, it } from "vitest";
import { openingState } from "./opening-hours";

const weekdays9to6 = (timeZone: string): WorkingHours => {
  const day: [string, string][] = [["09:00", "18:00"]];
  return { timeZone, days: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] } };
};
const at = (iso: string) => Date.parse(iso);

describe("openingState", () => {
  it("is always open without hours", () => {
    expect(openingState({}, at("2025-07-05T03:00:00Z"))).toEqual({ open: true, opensAt: null });
  });

  it("is open inside a range, by the site's clock not UTC's", () => {
    // Wednesday 12:00 in Kyiv (UTC+3 in summer) is 09:00 UTC.
    expect(openingState(weekdays9to6("Europe/Kyiv"), at("2025-07-02T09:00:00Z"))).toEqual({ open: true, opensAt: null });
    // 08:30 UTC is 11:30 in Kyiv but 04:30 in New York.
    expect(openingState(weekdays9to6("America/New_York"), at("2025-07-02T08:30:00Z")).open).toBe(false);
  });

  it("opens later the same day, the start included and the end not", () => {
    const hours = weekdays9to6("Europe/Kyiv");
    expect(openingState(hours, at("2025-07-02T04:00:00Z"))).toEqual({ open: false, opensAt: at("2025-07-02T06:00:00Z") });
    expect(openingState(hours, at("2025-07-02T06:00:00Z")).open).toBe(true);
    expect(openingState(hours, at("2025-07-02T15:00:00Z"))).toEqual({ open: false, opensAt: at("2025-07-03T06:00:00Z") });
  });

  it("finds the next range after a lunch break", () => {
    const day: [string, string][] = [["13:00", "18:00"], ["09:00", "12:00"]];
    const hours: WorkingHours = { timeZone: "UTC", days: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] } };
    expect(openingState(hours, at("2025-07-02T12:30:00Z"))).toEqual({ open: false, opensAt: at("2025-07-02T13:00:00Z") });
  });

  it("skips the weekend", () => {
    // Friday 19:00 in Kyiv → Monday 09:00 in Kyiv.
    expect(openingState(weekdays9to6("Europe/Kyiv"), at("2025-07-04T16:00:00Z"))).toEqual({ open: false, opensAt: at("2025-07-07T06:00:00Z") });
  });

  it("uses the offset of the opening day when the clocks change in between", () => {
    // Saturday 8 March 2025, 22:00 EST (UTC-5); the clocks go forward on Sunday;
    // Monday 09:00 is EDT (UTC-4), 13:00 UTC.
    expect(openingState(weekdays9to6("America/New_York"), at("2025-03-09T03:00:00Z"))).toEqual({
      open: false,
      opensAt: at("2025-03-10T13:00:00Z"),
    });
  });

  it("waits a week for a site open one hour a week", () => {
    const hours: WorkingHours = { timeZone: "UTC", days: { mon: [], tue: [], wed: [["10:00", "11:00"]], thu: [], fri: [], sat: [], sun: [] } };
    expect(openingState(hours, at("2025-07-02T11:00:00Z"))).toEqual({ open: false, opensAt: at("2025-07-09T10:00:00Z") });
  });

  it("never opens with no ranges on any day", () => {
    const hours: WorkingHours = { timeZone: "UTC", days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
    expect(openingState(hours, at("2025-07-02T11:00:00Z"))).toEqual({ open: false, opensAt: null });
  });

  it("works until midnight with 24:00", () => {
    const all: [string, string][] = [["00:00", "24:00"]];
    const hours: WorkingHours = { timeZone: "Asia/Tokyo", days: { mon: all, tue: all, wed: all, thu: all, fri: all, sat: [], sun: [] } };
    expect(openingState(hours, at("2025-07-04T14:59:00Z")).open).toBe(true); // Friday 23:59 in Tokyo
    expect(openingState(hours, at("2025-07-04T15:00:00Z"))).toEqual({ open: false, opensAt: at("2025-07-06T15:00:00Z") });
  });
});
