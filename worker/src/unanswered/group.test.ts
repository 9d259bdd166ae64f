import { describe, expect, it } from "vitest";
import evaluation from "../bot/demo/evaluation.json";
import { GROUP_THRESHOLD, groupByText } from "./group";

// The demo evaluation set's unanswerable questions come in Russian, Ukrainian
// and English, mostly the same dozen topics: the grouping puts a question and
// its translation or rewording together and never two topics in one group.
const questions = evaluation.questions.filter((q) => q.intent === null).map((q) => ({ text: q.text }));

describe("grouping unanswered questions", () => {
  it("keeps the same question together, in other words or the other Cyrillic language", () => {
    const groups = groupByText([{ text: "вы продаёте оптом?" }, { text: "Продаёте ли вы товары оптом?" }, { text: "а вы продаёте билеты на Марс?" }, { text: "можно купить оптом" }, { text: "можна купити оптом" }]);
    expect(groups.map((g) => g.map((q) => q.text))).toEqual([
      ["вы продаёте оптом?", "Продаёте ли вы товары оптом?"],
      ["а вы продаёте билеты на Марс?"],
      ["можно купить оптом", "можна купити оптом"],
    ]);
  });

  it("never mixes two topics of the evaluation set's unanswerable questions", () => {
    const groups = groupByText(questions);
    const multi = groups.filter((g) => g.length > 1).map((g) => g.map((q) => q.text));
    // Pairs of translations only: no group holds questions about two things.
    expect(multi).toContainEqual(["можно купить оптом", "можна купити оптом"]);
    expect(multi).toContainEqual(["вы продаете велосипеды", "ви продаєте велосипеди"]);
    expect(multi.some((g) => g.includes("do you sell gift cards") && g.includes("do you sell bicycles"))).toBe(false);
    expect(multi.every((g) => g.length === 2)).toBe(true);
    expect(groups.length).toBeLessThan(questions.length);
    expect(GROUP_THRESHOLD).toBeGreaterThan(0.5);
  });

  it("puts word-for-word repeats where the first went", () => {
    const groups = groupByText([{ text: "do you sell bicycles" }, { text: "do you sell bicycles and helmets" }, { text: "tell me a joke" }, { text: " Do you sell bicycles and helmets" }]);
    expect(groups.map((g) => g.length)).toEqual([3, 1]);
  });

  it("compares with the group's lead only, so a group does not drift", () => {
    // The third is close to the second (0.73) but not to the lead (0.48).
    const groups = groupByText([{ text: "do you sell bicycles" }, { text: "do you sell bicycles and helmets" }, { text: "do you sell helmets and gloves" }]);
    expect(groups.map((g) => g.map((q) => q.text))).toEqual([["do you sell bicycles", "do you sell bicycles and helmets"], ["do you sell helmets and gloves"]]);
  });
});
