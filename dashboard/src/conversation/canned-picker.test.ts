import type { CannedReply } from "@tandem/protocol";
import { describe, expect, it } from "vitest";
import { day } from "../format";
import { fillVariables, filterReplies } from "./canned-picker";

const reply = (shortcut: string, body: string): CannedReply => ({ id: shortcut, shortcut, body, shared: true, updatedAt: 0 });

describe("canned reply variables", () => {
  it("fills the customer's name and mine, every time they appear", () => {
    expect(fillVariables("Hi {name}! {operator} here. Bye {name}.", { name: "Ann", operator: "Dana" })).toBe("Hi Ann! Dana here. Bye Ann.");
  });

  it("says 'there' when the customer gave no name, and leaves unknown braces alone", () => {
    expect(fillVariables("Hi {name}, order {order}", { name: null, operator: "Dana" })).toBe("Hi there, order {order}");
  });
});

describe("filtering canned replies", () => {
  const replies = [reply("hello", "Hi there"), reply("help", "How can I help?"), reply("thanks", "Thanks, bye"), reply("refund", "We refund in 5 days")];

  it("puts shortcuts that start with the query first, then texts that contain it", () => {
    expect(filterReplies(replies, "hel").map((r) => r.shortcut)).toEqual(["hello", "help"]);
    expect(filterReplies(replies, "re").map((r) => r.shortcut)).toEqual(["refund", "hello"]);
    expect(filterReplies(replies, "").length).toBe(4);
    expect(filterReplies(replies, "zzz")).toEqual([]);
  });
});

describe("day separators", () => {
  const now = new Date(2026, 10, 23, 15, 0).getTime();

  it("says Today, Yesterday, then the date, with the year only for other years", () => {
    expect(day(new Date(2026, 10, 23, 0, 1).getTime(), now)).toBe("Today");
    expect(day(new Date(2026, 10, 22, 23, 59).getTime(), now)).toBe("Yesterday");
    expect(day(new Date(2026, 10, 21, 12).getTime(), now)).toMatch(/21/);
    expect(day(new Date(2026, 10, 21, 12).getTime(), now)).not.toMatch(/2026/);
    expect(day(new Date(2025, 11, 31, 12).getTime(), now)).toMatch(/2025/);
  });
});
