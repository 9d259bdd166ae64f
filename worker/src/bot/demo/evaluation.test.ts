import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { ANSWER_THRESHOLD } from "../matcher";
import { evaluate, type EvaluationFile, type KnowledgeBaseFile } from "./evaluate";

const load = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, import.meta.url), "utf8")) as T;
const kb = load<KnowledgeBaseFile>("./knowledge-base.json");
const set = load<EvaluationFile>("./evaluation.json");
const heldOut = load<EvaluationFile>("./held-out.json");
const fresh = load<EvaluationFile>("./fresh.json");
const blind = load<EvaluationFile>("./blind.json");

// What the bot does (engine.botTurn: an explicit ask or a complaint escalates
// first, then a match below ANSWER_THRESHOLD 0.42 escalates), measured:
//
// evaluation.json, 217 questions: top-1 95.3% (ru 96.9, uk 96.3, en 92.5),
// escalated 93.3% (ru 93.8, uk 92.9, en 93.3) — the matcher alone scores the
// same, as no question of the set carries an escalation signal any more (the
// old keyword lists escalated "приветик есть кто живой на сайте": 94.8% top-1).
// The knowledge base's phrasings were enriched with synonyms after a first run
// on this set showed misses (89.5% before), so it is not held out.
//
// held-out.json, 83 questions written after that and never used to tune
// anything: top-1 87.5% (ru 84.2, uk 83.3, en 94.7), escalated 81.5% (ru 66.7,
// uk 100, en 77.8) — under the issue's aim of 90% for both, which the tuned set
// overstated. With 9 unanswerable questions per language, one is 11 points.
//
// fresh.json and blind.json, 90 messages each (30 per language, 10 of them
// unanswerable), were written blind by people who saw only the knowledge
// base, each committed before its first run; blind.json is a third of short,
// medium and long messages. They measure what a realistic customer gets:
//
//   fresh.json  top-1 55.0% → 70.0% (ru 60, uk 80, en 70), escalated 93.3% (ru 100, uk 100, en 80)
//   blind.json  top-1 31.7% → 48.3% (ru 55, uk 45, en 45), escalated 100% → 93.3% (ru 90, uk 100, en 90)
//
// (before → after the matcher stopped diluting a message that meets a phrasing
// in two or more words with the rest of what it says; fresh.json was looked at
// while that change was made, blind.json only after it). The tuned sets did
// not move. Most misses are paraphrases the phrasings have no words for
// ("stopped turning on" for warranty, "call the order off" for a cancel) and
// go to a person rather than to a wrong answer.
//
// The floors sit a little under the measurements.
const FLOORS = {
  "evaluation.json": { top1: 0.92, escalated: 0.9, top1PerLang: 0.9, escalatedPerLang: 0.88 },
  "held-out.json": { top1: 0.85, escalated: 0.78, top1PerLang: 0.8, escalatedPerLang: 0.6 },
  "fresh.json": { top1: 0.66, escalated: 0.88, top1PerLang: 0.55, escalatedPerLang: 0.7 },
  "blind.json": { top1: 0.44, escalated: 0.88, top1PerLang: 0.4, escalatedPerLang: 0.8 },
};

describe("demo knowledge base against the evaluation sets", () => {
  const keys = new Set(kb.intents.map((i) => i.key));
  const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  const phrasings = new Set(kb.intents.flatMap((i) => Object.values(i.phrasings).flat().map((p) => norm(p!))));

  test("the tuned set is big enough and labelled with intents that exist", () => {
    expect(set.questions.length).toBeGreaterThanOrEqual(150);
    expect(set.questions.filter((q) => q.intent === null).length).toBeGreaterThanOrEqual(40);
    for (const q of set.questions) if (q.intent) expect(keys).toContain(q.intent);
    for (const lang of ["ru", "uk", "en"]) expect(set.questions.filter((q) => q.lang === lang).length).toBeGreaterThanOrEqual(50);
  });

  test("the held-out set has 20 questions per language, 8 of them unanswerable, none seen before", () => {
    expect(heldOut.questions.length).toBeGreaterThanOrEqual(60);
    for (const q of heldOut.questions) if (q.intent) expect(keys).toContain(q.intent);
    for (const lang of ["ru", "uk", "en"]) {
      const mine = heldOut.questions.filter((q) => q.lang === lang);
      expect(mine.length, lang).toBeGreaterThanOrEqual(20);
      expect(mine.filter((q) => q.intent === null).length, lang).toBeGreaterThanOrEqual(8);
    }
    const tuned = new Set(set.questions.map((q) => norm(q.text)));
    expect(heldOut.questions.filter((q) => tuned.has(norm(q.text))).map((q) => q.text)).toEqual([]);
  });

  test("the blind sets have 30 messages per language, 10 of them unanswerable, labelled with intents that exist", () => {
    for (const file of [fresh, blind]) {
      for (const q of file.questions) if (q.intent) expect(keys).toContain(q.intent);
      for (const lang of ["ru", "uk", "en"]) {
        const mine = file.questions.filter((q) => q.lang === lang);
        expect(mine.length, lang).toBe(30);
        expect(mine.filter((q) => q.intent === null).length, lang).toBe(10);
      }
    }
  });

  test("no evaluation question is copied into the phrasings", () => {
    for (const file of [set, heldOut, fresh, blind]) expect(file.questions.filter((q) => phrasings.has(norm(q.text))).map((q) => q.text)).toEqual([]);
  });

  for (const [name, file] of [
    ["evaluation.json", set],
    ["held-out.json", heldOut],
    ["fresh.json", fresh],
    ["blind.json", blind],
  ] as const) {
    test(`the bot's decisions on ${name} reach the floors`, () => {
      const alone = evaluate(kb, file, { by: "matcher" });
      const { outcomes, rows } = evaluate(kb, file);
      console.log(`${name}: the bot's decisions (the matcher alone in brackets), threshold ${ANSWER_THRESHOLD}`);
      console.table(
        rows.map((r, i) => ({
          ...r,
          top1: `${pct(r.top1)} (${pct(alone.rows[i].top1)})`,
          escalated: `${pct(r.escalated)} (${pct(alone.rows[i].escalated)})`,
        })),
      );
      for (const o of outcomes.filter((o) => !o.ok)) {
        console.log(`  miss [${o.lang}] ${o.text} → ${o.answered ?? `a person (${o.reason})`}; matcher: ${o.got} ${o.confidence} (expected ${o.expected ?? "a person"})`);
      }
      const floor = FLOORS[name];
      const all = rows.find((r) => r.lang === "all")!;
      expect(all.top1).toBeGreaterThanOrEqual(floor.top1);
      expect(all.escalated).toBeGreaterThanOrEqual(floor.escalated);
      for (const r of rows) {
        expect(r.top1, r.lang).toBeGreaterThanOrEqual(floor.top1PerLang);
        expect(r.escalated, r.lang).toBeGreaterThanOrEqual(floor.escalatedPerLang);
      }
    });
  }

  test("an escalation signal counts as escalated, whatever the matcher found", () => {
    const questions: EvaluationFile["questions"] = [
      { text: "где мой заказ? это ужасно, буду жаловаться", lang: "ru", intent: null },
      { text: "where is my order? live agent", lang: "en", intent: null },
      { text: "де моє замовлення, покличте людину", lang: "uk", intent: "order-status" },
    ];
    const bot = evaluate(kb, { version: 1, questions });
    const alone = evaluate(kb, { version: 1, questions }, { by: "matcher" });
    expect(alone.outcomes.map((o) => o.answered)).toEqual(["order-status", "order-status", "order-status"]);
    expect(bot.outcomes.map((o) => [o.answered, o.reason, o.ok])).toEqual([
      [null, "complaint", true],
      [null, "asked for a person", true],
      [null, "asked for a person", false],
    ]);
  });

  test("every intent answers its own phrasings", () => {
    const { rows } = evaluate(kb, {
      version: 1,
      questions: kb.intents.flatMap((i) =>
        Object.entries(i.phrasings).flatMap(([lang, list]) => list!.map((text) => ({ text, lang: lang as "ru", intent: i.key }))),
      ),
    });
    expect(rows.find((r) => r.lang === "all")!.top1).toBeGreaterThanOrEqual(0.97);
  });
});

function pct(x: number) {
  return `${(x * 100).toFixed(1)}%`;
}
