import { describe, expect, it } from "vitest";
import { newId } from "./id";

describe("newId", () => {
  it("makes 26-character Crockford base32 ids", () => {
    expect(newId()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it("sorts by creation, also within one millisecond", () => {
    const ids = Array.from({ length: 2000 }, () => newId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("puts the time first", () => {
    expect(newId(Date.UTC(2026, 0, 1)) < newId(Date.UTC(2026, 0, 2))).toBe(true);
    expect(newId(0).slice(0, 10)).toBe("0000000000");
  });
});
