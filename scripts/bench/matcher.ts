import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildMatcher, calibrationOf, HELD_OUT_LIMIT, spread, type Feedback, type Lang, type MatchIntent, type Matcher } from "../../worker/src/bot/matcher";
import type { EvaluationFile, KnowledgeBaseFile } from "../../worker/src/bot/demo/evaluate";
import { matchIntents } from "../../worker/src/bot/demo/evaluate";
import { formatMs, summarize, type Summary } from "./stats";

/** The budget (B1): one question against 1,000 intents in under 5 ms. */
export const MATCH_BUDGET_MS = 5;

/**
 * B1: one question against a 1,000-intent knowledge base. The base is the demo
 * one grown to 1,000 intents: each copy's phrasings get a few words from a
 * generated vocabulary, so the index has many distinct terms like a real one.
 * With `judgements`, the prompter has that many accepts and rejects stored (B6):
 * customers' questions (the evaluation set's and the phrasings', each with a
 * word of its own so that no two are the same text) judged on one of the
 * intents the matcher suggested for them, as an operator would.
 */
export function measureMatcher(intentCount = 1000, judgements = 0) {
  const root = new URL("../../worker/src/bot/demo/", import.meta.url);
  const kb = JSON.parse(readFileSync(new URL("knowledge-base.json", root), "utf8")) as KnowledgeBaseFile;
  const sets = (JSON.parse(readFileSync(new URL("evaluation.json", root), "utf8")) as EvaluationFile).questions;
  const base = matchIntents(kb);
  const intents: MatchIntent[] = [];
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const syllables = ["ка", "ро", "ми", "ту", "ла", "не", "да", "пер", "ст", "вол", "ко", "ри", "ва", "ен", "ос"];
  const latin = ["ka", "ro", "mi", "tu", "la", "ne", "da", "per", "st", "vol", "ko", "ri", "va", "en", "os"];
  const word = (parts: string[]) => Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(parts)).join("");
  for (let i = 0; intents.length < intentCount; i++) {
    const source = base[i % base.length];
    intents.push({
      id: `${source.id}-${i}`,
      enabled: true,
      phrasings: source.phrasings.map((p) => ({
        lang: p.lang,
        text: `${p.text} ${word(p.lang === "en" ? latin : syllables)} ${word(p.lang === "en" ? latin : syllables)}`,
      })),
      answers: source.answers,
    });
  }
  const buildStart = performance.now();
  const raw = buildMatcher(intents);
  const rawBuildMs = performance.now() - buildStart;
  // Calibration as the Worker runs it when the whole base changes (knowledge/calibration.ts): the raw
  // index above, at most HELD_OUT_LIMIT phrasings held out, then the calibrated index.
  const phrasingCount = intents.reduce((n, i) => n + i.phrasings.length, 0);
  const calibrateStart = performance.now();
  const calibration = calibrationOf(raw.heldOut(spread(phrasingCount, HELD_OUT_LIMIT)), intents.length);
  const heldOutMs = performance.now() - calibrateStart;
  const plainStart = performance.now();
  const plain = buildMatcher(intents, [], calibration);
  const plainBuildMs = performance.now() - plainStart;
  const calibrateMs = rawBuildMs + heldOutMs;

  let matcher: Matcher = plain;
  let buildMs = plainBuildMs;
  if (judgements > 0) {
    const asked = [...sets.map((q) => ({ text: q.text, lang: q.lang })), ...intents.slice(0, base.length).flatMap((i) => i.phrasings.map((p) => ({ text: p.text, lang: p.lang ?? ("en" as Lang) })))];
    const feedback: Feedback[] = [];
    for (let i = 0; i < judgements; i++) {
      const q = pick(asked);
      const text = `${q.text} ${word(q.lang === "en" ? latin : syllables)}`;
      const suggested = plain.match(text, { lang: q.lang, limit: 3 });
      feedback.push({ question: text, intentId: suggested.length ? pick(suggested).intentId : pick(intents).id, accepted: random() < 0.5, at: i });
    }
    const start = performance.now();
    matcher = buildMatcher(intents, feedback, calibration);
    buildMs = performance.now() - start;
  }

  const questions = sets;
  // Warm up the JIT, then time each question separately.
  for (const q of questions) matcher.match(q.text, { lang: q.lang as Lang });
  const samples: number[] = [];
  for (let round = 0; round < 10; round++) {
    for (const q of questions) {
      const start = performance.now();
      matcher.match(q.text, { lang: q.lang as Lang, limit: 3 });
      samples.push(performance.now() - start);
    }
  }
  const phrasings = intents.reduce((n, i) => n + i.phrasings.length, 0);
  return { intents: intents.length, phrasings, judgements, questions: questions.length, buildMs, calibrateMs, heldOut: Math.min(phrasingCount, HELD_OUT_LIMIT), calibration, match: summarize(samples) };
}

/** "within" or "over" the budget, for p50 and p99. */
export function verdict(match: Summary, budget = MATCH_BUDGET_MS) {
  const say = (ms: number) => `${formatMs(ms)} ${ms < budget ? "within" : "over"}`;
  return `p50 ${say(match.p50)}, p99 ${say(match.p99)} (budget: under ${budget} ms for one question against 1,000 intents)`;
}

/** The matcher's part of `npm run bench`: with no stored judgements and with 10,000, and the verdict. */
export function printMatcherBench(row: (name: string, s: Summary) => string) {
  const plain = measureMatcher(1000, 0);
  const learned = measureMatcher(1000, 10_000);
  console.log(`\nBot matcher (B1): one question against ${plain.intents} intents (${plain.phrasings} phrasings), ${plain.match.count} matches`);
  console.log(row("match one question", plain.match));
  console.log(row("… with 10,000 stored judgements", learned.match));
  console.log(`  building the index once: ${formatMs(plain.buildMs)}; with 10,000 judgements: ${formatMs(learned.buildMs)}`);
  console.log(`  calibrating the base (issue 19): ${formatMs(plain.calibrateMs)} (its raw index, then ${plain.heldOut} phrasings held out; answers from raw ${plain.calibration.answerAt})`);
  console.log(`  verdict, no judgements:     ${verdict(plain.match)}`);
  console.log(`  verdict, 10,000 judgements: ${verdict(learned.match)}`);
  return { plain, learned };
}

// `npx tsx scripts/bench/matcher.ts`: this part of the bench alone, no stack needed.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pad = (s: Summary, key: "p50" | "p90" | "p99" | "max") => formatMs(s[key]).padStart(10);
  printMatcherBench((name, s) => `${name.padEnd(34)} p50 ${pad(s, "p50")}   p90 ${pad(s, "p90")}   p99 ${pad(s, "p99")}   max ${pad(s, "max")}`);
}
