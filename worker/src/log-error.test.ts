import { afterEach, describe, expect, it, vi } from "vitest";
import { logError } from "./log-error";

describe("logError", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("writes one line a second for each place and counts the rest into the next", () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((first: string) => void lines.push(first));
    const failure = new Error("libSQL timed out");

    for (let i = 0; i < 500; i++) logError("conversation room", failure);
    logError("routing", failure);
    expect(lines).toEqual(["conversation room:", "routing:"]);

    vi.setSystemTime(1_000_999);
    logError("conversation room", failure);
    expect(lines).toHaveLength(2);

    vi.setSystemTime(1_001_000);
    logError("conversation room", failure, "GET /x");
    expect(lines.at(-1)).toBe("conversation room GET /x (and 500 more since the line before):");

    vi.setSystemTime(1_002_000);
    logError("conversation room", failure);
    expect(lines.at(-1)).toBe("conversation room:");
  });
});
