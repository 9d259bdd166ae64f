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

const unseen = load<EvaluationFile>("./unseen.json");
const unseen2 = load<EvaluationFile>("./unseen-2.json");
const unseen3 = load<EvaluationFile>("./unseen-3.json");
const unseen4 = load<EvaluationFile>("./unseen-4.json");

// What the bot does (engine.botTurn: an explicit ask or a complaint escalates
// first, then a match below ANSWER_THRESHOLD escalates), measured as top-1 on
// answerable questions / share of unanswerable ones escalated:
//
//   set (questions)        before    after     now       ru          uk          en
//   evaluation.json (217)  95.3/93.3 95.9/97.8 97.1/97.8 100/93.8    94.4/100    96.2/100
//   held-out.json (83)     87.5/81.5 96.4/96.3 96.4/100  100/100     88.9/100    100/100
//   fresh.json (90)        70.0/93.3 93.3/90.0 91.7/93.3 95/90       95/90       85/100
//   blind.json (90)        48.3/93.3 78.3/86.7 80.0/90.0 90/90       70/100      80/80
//   unseen.json (180)      37.5/83.3 72.9/80.6 75.7/86.1 72.9/83.3   83.3/83.3   70.8/91.7
//   unseen-2.json (180)    31.9/97.2 82.6/86.1 84.7/88.9 87.5/91.7   83.3/91.7   83.3/83.3
//   unseen-3.json (180)    59.0/75.0           59.7/77.8 62.5/91.7   58.3/83.3   58.3/58.3
//   unseen-4.json (180)    70.8/80.6           70.8/86.1 72.9/91.7   68.8/91.7   70.8/75
//
// "after": the knowledge base grew from 5–8 phrasings per intent and language
// to about 30 (1,806 in all), written by people who saw only the knowledge
// base and none of these sets; any phrasing equal to a question of a set was
// dropped. With the larger vocabulary a word the base has never seen weighs
// more than its rarest word (a question about something else), and
// ANSWER_THRESHOLD went from 0.42 to 0.5, both chosen on the first four sets
// pooled. The first four sets have been looked at while tuning. unseen.json
// (60 per language, 12 unanswerable, a third each short, medium and long) was
// written blind and committed before its first run, and run once, with the
// final settings: its figures are what a new customer gets. unseen-2.json,
// written the same way by another author, was committed and run once after
// everything else ("before" there: the old phrasings with the new settings).
// First runs: unseen.json 74.3/80.6, unseen-2.json 85.4/86.1; the figures above
// are after dropping the 9 phrasings that were word for word in unseen-2.json. Its answerable
// misses mostly go to a person (27 of 37); long messages whose story words
// belong to another intent are most of the wrong answers.
//
// unseen-3.json, a third blind set by another author, was committed on
// 2026-12-02 and first run on 2026-12-06: 59.0/75.0 with the matcher then,
// 58.3/77.8 after a word said twice counts once and a Latin word the base
// knows is no longer also read as Cyrillic, 57.6/77.8 ("now" above) after
// dropping the two phrasings that were word for word among its messages. Its
// messages are longer and further from the phrasings' words than the other sets' (a story first, the
// question last, in the customer's own words), and show where a lexical
// matcher stops: the bot's figures on it are far under the issue's 90/90 aim.
//
// "now" also has the synonym lexicon (matcher/synonyms.ts), read only for a
// word the knowledge base does not know: on these sets pooled 845 -> 848 of
// 1,020 right; with the demo base cut to its first 5 (10) phrasings per intent
// and language, as a new workspace's would be, pooled top-1 40.0 -> 43.7%
// (55.4 -> 59.2%) and escalation 96.3 -> 95.4% (94.2 -> 93.3%). Then 'почём'
// read as 'стоит' (851), and a tenth of a message's unknown words counted
// against a match even under the long-message allowance (858: pooled top-1
// 81.9 -> 82.2%, escalated 88.3 -> 90.4%).
//
// unseen-4.json, written blind by another author on 2026-12-06, was committed
// before its first run and run once, after all of the above: 70.8/86.1 (the
// matcher as this day began: 70.8/80.6). Tried on the first seven sets and
// dropped: 8 long-form phrasings per intent and language (2-4 sentences of
// story, written blind: pooled 858 -> 852, more wrong answers), a Naive Bayes
// second opinion (+10 of 1,020), a margin over the second intent (no gain).
//
// Issue 19 (2026-12-08): confidence calibrated per base (this base comes out
// at 0.503, next to the 0.5 it was tuned at) and the answers read as weaker
// evidence, with the answers rewritten for the coffee shop the demo page
// sells: evaluation 95.9/97.8, held-out 96.4/96.3, fresh 91.7/93.3, blind
// 78.3/90.0, unseen 74.3/88.9, unseen-2 84.7/88.9, unseen-3 60.4/77.8,
// unseen-4 71.5/86.1 — pooled 3 fewer right of 924 and 2 more handed over
// of 276. The small bases it was for: worker/src/bot/small-bases/.
//
// The floors sit a little under the measurements.
const FLOORS = {
  "evaluation.json": { top1: 0.93, escalated: 0.95, top1PerLang: 0.9, escalatedPerLang: 0.9 },
  "held-out.json": { top1: 0.93, escalated: 0.93, top1PerLang: 0.85, escalatedPerLang: 0.85 },
  "fresh.json": { top1: 0.9, escalated: 0.86, top1PerLang: 0.8, escalatedPerLang: 0.85 },
  "blind.json": { top1: 0.77, escalated: 0.86, top1PerLang: 0.65, escalatedPerLang: 0.75 },
  "unseen.json": { top1: 0.72, escalated: 0.83, top1PerLang: 0.68, escalatedPerLang: 0.8 },
  "unseen-2.json": { top1: 0.82, escalated: 0.86, top1PerLang: 0.8, escalatedPerLang: 0.8 },
  "unseen-3.json": { top1: 0.56, escalated: 0.74, top1PerLang: 0.54, escalatedPerLang: 0.55 },
  "unseen-4.json": { top1: 0.67, escalated: 0.83, top1PerLang: 0.64, escalatedPerLang: 0.7 },
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

  test("the blind sets have 30 (unseen: 60) messages per language, a third (a fifth) unanswerable, labelled with intents that exist", () => {
    for (const [file, size, unanswerable] of [[fresh, 30, 10], [blind, 30, 10], [unseen, 60, 12], [unseen2, 60, 12], [unseen3, 60, 12], [unseen4, 60, 12]] as const) {
      for (const q of file.questions) if (q.intent) expect(keys).toContain(q.intent);
      for (const lang of ["ru", "uk", "en"]) {
        const mine = file.questions.filter((q) => q.lang === lang);
        expect(mine.length, lang).toBe(size);
        expect(mine.filter((q) => q.intent === null).length, lang).toBe(unanswerable);
      }
    }
  });

  test("no evaluation question is copied into the phrasings", () => {
    for (const file of [set, heldOut, fresh, blind, unseen, unseen2, unseen3, unseen4]) expect(file.questions.filter((q) => phrasings.has(norm(q.text))).map((q) => q.text)).toEqual([]);
  });

  for (const [name, file] of [
    ["evaluation.json", set],
    ["held-out.json", heldOut],
    ["fresh.json", fresh],
    ["blind.json", blind],
    ["unseen.json", unseen],
    ["unseen-2.json", unseen2],
    ["unseen-3.json", unseen3],
    ["unseen-4.json", unseen4],
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
