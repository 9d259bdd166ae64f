import { describe, expect, it } from "vitest";
import { apiQuery, readFilters, writeFilters } from "./filters";

describe("filters in the address", () => {
  it("keeps a preset as a preset and reads it back", () => {
    const filters = readFilters("range=7&groupBy=week&compare=1&site=A,B&channel=web");
    expect(filters).toMatchObject({ range: "7", groupBy: "week", compare: true, site: ["A", "B"], channel: ["web"], hours: "all" });
    expect(readFilters(writeFilters(filters))).toEqual(filters);
    expect(writeFilters(readFilters(""))).toBe("");
    const query = apiQuery(filters, "Europe/Kyiv", Date.parse("2026-06-10T22:30:00Z"));
    expect(query).toEqual({ from: "2026-06-05", to: "2026-06-11", groupBy: "week", compare: "1", hours: "all", site: "A,B", channel: "web" });
  });

  it("takes a custom range only when both days are given, and ignores what it does not know", () => {
    expect(readFilters("from=2026-01-01&to=2026-01-31")).toMatchObject({ range: "custom", from: "2026-01-01", to: "2026-01-31" });
    expect(readFilters("from=2026-01-01&range=nonsense&groupBy=year&hours=x")).toMatchObject({ range: "30", groupBy: "day", hours: "all" });
  });
});
