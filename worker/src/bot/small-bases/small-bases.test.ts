import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { evaluate, type EvaluationFile, type KnowledgeBaseFile } from "../demo/evaluate";

// Issue 19: the bot on a knowledge base a new workspace has just typed in —
// 3 phrasings per intent and language — measured on messages written blind.
// Each base and its messages were committed (5934f81, 2026-12-07) before the
// calibration and the ranking changes were written, and neither was looked at
// while tuning; each was run once, after the work was done (see FIRST_RUN).
// bank/ and school/ came later, the same way (below).

type Messages = { version: 1; questions: (EvaluationFile["questions"][number] & { length: "short" | "medium" | "long" })[] };
const load = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as T;
const SETS = ["telecom", "clinic", "bank", "school"] as const;
const sets = SETS.map((name) => ({ name, kb: load<KnowledgeBaseFile>(`./${name}/knowledge-base.json`), messages: load<Messages>(`./${name}/messages.json`) }));

// The one run, 2026-12-08, the bot's decisions through evaluate() (top-1 on
// answerable messages / share of the rest escalated; the right intent ranked
// first; wrong answers), and the same sets with the matcher before issue 19
// (one threshold 0.5, answers not read):
//
//   set (messages)   before                     first run
//   telecom (228)    49.4 / 87.8, 77.3 %, 15    61.7 / 77.0, 79.9 %, 28
//   clinic (239)     34.4 / 91.1, 76.3 %, 13    47.5 / 82.3, 79.4 %, 26
//
// By length (top-1 / escalated): telecom short 74.6 / 100, medium 51.0 /
// 71.4, long 56.8 / 72.0; clinic 67.2 / 94.7, 30.6 / 72.7, 38.3 / 85.2.
// The issue's aim, 80 / 90, is not reached. Calibration answers 12-13 more
// in a hundred right, and costs 6-11 in a hundred of the rest: most of those
// are near-topic messages the base cannot answer (a double charge on a
// top-up, a vaccine while pregnant, moving home internet) that score as high
// as the right ones (0.5-0.76), and complaints and asks for a person that
// the signals miss ("Спасибо, но нет. Дайте человека.", "Требую перерасчёт").
//
// Then, with telecom and clinic looked at: the negation of an ask for a
// person ends with its sentence, and "у іншого оператора" (a phone carrier)
// asks for no one (telecom 63.6 / 78.4; two sets more of the kind tried —
// phrasing coverage weighed over the message's, a stricter answer line —
// only moved along the same curve). A bank and an online school, written
// blind like the first two and committed before their run (3e13037), were
// run once with that:
//
//   set (messages)   before                     first run
//   bank (189)       49.2 / 88.9, 84.1 %, 8     60.3 / 87.3, 85.7 %, 13
//   school (189)     38.1 / 98.4, 82.5 %, 3     57.9 / 88.9, 85.7 %, 11
const FIRST_RUN = {
  telecom: { top1: 0.617, escalated: 0.77 },
  clinic: { top1: 0.475, escalated: 0.823 },
  bank: { top1: 0.603, escalated: 0.873 },
  school: { top1: 0.579, escalated: 0.889 },
};
/** A little under the first run. */
const FLOORS = {
  telecom: { top1: 0.6, escalated: 0.75 },
  clinic: { top1: 0.46, escalated: 0.8 },
  bank: { top1: 0.58, escalated: 0.85 },
  school: { top1: 0.56, escalated: 0.87 },
};

describe("small knowledge bases written blind", () => {
  for (const { name, kb, messages } of sets) {
    test(`${name}: 12–20 intents, 3 phrasings per intent and language, and at least 150 messages as the issue asks`, () => {
      expect(kb.intents.length).toBeGreaterThanOrEqual(12);
      expect(kb.intents.length).toBeLessThanOrEqual(20);
      for (const intent of kb.intents) for (const lang of ["ru", "uk", "en"] as const) expect(intent.phrasings[lang]?.length, `${intent.key} ${lang}`).toBe(3);
      const keys = new Set(kb.intents.map((i) => i.key));
      for (const q of messages.questions) if (q.intent) expect(keys).toContain(q.intent);
      const n = messages.questions.length;
      expect(n).toBeGreaterThanOrEqual(150);
      expect(messages.questions.filter((q) => q.intent === null).length / n).toBeGreaterThanOrEqual(0.25);
      for (const lang of ["ru", "uk", "en"]) expect(messages.questions.filter((q) => q.lang === lang).length / n).toBeGreaterThan(0.28);
      for (const length of ["short", "medium", "long"]) expect(messages.questions.filter((q) => q.length === length).length / n).toBeGreaterThan(0.28);
    });

    test(`${name}: the bot's decisions reach the floors`, () => {
      const { rows, outcomes } = evaluate(kb, messages);
      console.log(`${name}: the bot's decisions (top-1 on answerable messages / escalated of the rest)`);
      console.table(rows.map((r) => ({ ...r, top1: pct(r.top1), escalated: pct(r.escalated) })));
      for (const length of ["short", "medium", "long"] as const) {
        const mine = outcomes.filter((_, i) => messages.questions[i].length === length);
        const answerable = mine.filter((o) => o.expected !== null);
        const rest = mine.filter((o) => o.expected === null);
        console.log(`  ${length}: top-1 ${pct(answerable.filter((o) => o.ok).length / answerable.length)} of ${answerable.length}, escalated ${pct(rest.filter((o) => o.ok).length / rest.length)} of ${rest.length}`);
      }
      const answerable = outcomes.filter((o) => o.expected !== null);
      console.log(`  ranked first: ${pct(answerable.filter((o) => o.got === o.expected).length / answerable.length)}; wrong answers: ${outcomes.filter((o) => o.answered && !o.ok).length}`);
      for (const o of outcomes.filter((o) => !o.ok)) console.log(`  miss [${o.lang}] ${o.text} → ${o.answered ?? `a person (${o.reason})`}; matcher: ${o.got} ${o.confidence} (expected ${o.expected ?? "a person"})`);
      const all = rows.find((r) => r.lang === "all")!;
      console.log(`  first run: ${pct(FIRST_RUN[name].top1)} / ${pct(FIRST_RUN[name].escalated)}`);
      expect(all.top1).toBeGreaterThanOrEqual(FLOORS[name].top1);
      expect(all.escalated).toBeGreaterThanOrEqual(FLOORS[name].escalated);
    });
  }
});

function pct(x: number) {
  return `${(x * 100).toFixed(1)}%`;
}

// The demo base cut to its first 3, 5 and 10 phrasings per intent and
// language, as a new shop's would be, against the demo's eight evaluation
// sets pooled (924 answerable messages, 276 for a person).
const DEMO_SETS = ["evaluation", "held-out", "fresh", "blind", "unseen", "unseen-2", "unseen-3", "unseen-4"];
const demo = load<KnowledgeBaseFile>("../demo/knowledge-base.json");
const pooled: EvaluationFile = { version: 1, questions: DEMO_SETS.flatMap((name) => load<EvaluationFile>(`../demo/${name}.json`).questions) };
const cut = (n: number): KnowledgeBaseFile => ({
  version: 1,
  intents: demo.intents.map((i) => ({ ...i, phrasings: Object.fromEntries(Object.entries(i.phrasings).map(([lang, list]) => [lang, list!.slice(0, n)])) })),
});
// Measured 2026-12-08: top-1 / escalated, right intent ranked first; before
// issue 19 (one threshold 0.5, answers not read) and now. These sets were
// looked at while calibrating: the figures are for comparison, the blind ones
// are above.
//
//   phrasings   before              now
//   3           27.4 / 97.8, 68.7   43.3 / 93.1, 70.7
//   5           38.5 / 97.1, 73.2   50.1 / 91.7, 74.8
//   10          55.6 / 95.3, 78.9   61.0 / 90.9, 79.1
//   all (~30)   80.4 / 89.9, 91.1   80.4 / 89.9, 91.1
const CUT_FLOORS: Record<number, { top1: number; escalated: number }> = {
  3: { top1: 0.4, escalated: 0.92 },
  5: { top1: 0.49, escalated: 0.89 },
  10: { top1: 0.59, escalated: 0.89 },
};

describe("the demo base cut to a new workspace's size", () => {
  for (const n of [3, 5, 10]) {
    test(`${n} phrasings per intent and language`, () => {
      const { rows, outcomes } = evaluate(cut(n), pooled);
      const all = rows.find((r) => r.lang === "all")!;
      const answerable = outcomes.filter((o) => o.expected !== null);
      console.log(`demo cut to ${n}: top-1 ${pct(all.top1)}, escalated ${pct(all.escalated)}, ranked first ${pct(answerable.filter((o) => o.got === o.expected).length / answerable.length)}`);
      expect(all.top1).toBeGreaterThanOrEqual(CUT_FLOORS[n].top1);
      expect(all.escalated).toBeGreaterThanOrEqual(CUT_FLOORS[n].escalated);
    });
  }
});
