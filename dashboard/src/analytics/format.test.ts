import { describe, expect, it } from "vitest";
import { change, duration, percent } from "./format";

describe("analytics formatting", () => {
  it("writes durations in words, the smaller unit only when it is not zero", () => {
    expect(duration(0)).toBe("0 s");
    expect(duration(420)).toBe("0.4 s");
    expect(duration(4_200)).toBe("4.2 s");
    expect(duration(9_999)).toBe("10 s");
    expect(duration(45_000)).toBe("45 s");
    expect(duration(59_600)).toBe("1 m");
    expect(duration(80_000)).toBe("1 m 20 s");
    expect(duration(120_000)).toBe("2 m");
    expect(duration(2 * 3_600_000 + 5 * 60_000 + 40_000)).toBe("2 h 5 m");
    expect(duration(3 * 86_400_000 + 4 * 3_600_000)).toBe("3 d 4 h");
    expect(duration(null)).toBe("—");
  });

  it("writes shares in per cent and changes in points or per cent", () => {
    expect(percent(0.1234)).toBe("12.3 %");
    expect(percent(0.5)).toBe("50 %");
    expect(percent(null)).toBe("—");
    expect(change(0.3, 0.25, "percent", "up")).toEqual({ text: "+5 pts", direction: "up", good: true });
    expect(change(90_000, 120_000, "duration", "down")).toEqual({ text: "−25 %", direction: "down", good: true });
    expect(change(12, 10, "count", null)).toEqual({ text: "+20 %", direction: "up", good: null });
    expect(change(5, 0, "count", null)).toBeNull();
    expect(change(5, null, "count", null)).toBeNull();
  });
});
