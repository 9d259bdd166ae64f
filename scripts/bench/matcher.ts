import { readFileSync } from "node:fs";
import { buildMatcher, type Lang, type MatchIntent } from "../../worker/src/bot/matcher";
import type { EvaluationFile, KnowledgeBaseFile } from "../../worker/src/bot/demo/evaluate";
import { matchIntents } from "../../worker/src/bot/demo/evaluate";
import { summarize } from "./stats";

/**
 * B1: one question against a 1,000-intent knowledge base. The base is the demo
 * one grown to 1,000 intents: each copy's phrasings get a few words from a
 * generated vocabulary, so the index has many distinct terms like a real one.
 */
export function measureMatcher(intentCount = 1000) {
  const root = new URL("../../worker/src/bot/demo/", import.meta.url);
  const kb = JSON.parse(readFileSync(new URL("knowledge-base.json", root), "utf8")) as KnowledgeBaseFile;
  const set = JSON.parse(readFileSync(new URL("evaluation.json", root), "utf8")) as EvaluationFile;
  const base = matchIntents(kb);
  const intents: MatchIntent[] = [];
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const syllables = ["ка", "ро", "ми", "ту", "ла", "не", "да", "пер", "ст", "вол", "ко", "ри", "ва", "ен", "ос"];
  const latin = ["ka", "ro", "mi", "tu", "la", "ne", "da", "per", "st", "vol", "ko", "ri", "va", "en", "os"];
  const word = (parts: string[]) => Array.from({ length: 2 + Math.floor(random() * 3) }, () => parts[Math.floor(random() * parts.length)]).join("");
  for (let i = 0; intents.length < intentCount; i++) {
    const source = base[i % base.length];
    intents.push({
      id: `${source.id}-${i}`,
      enabled: true,
      phrasings: source.phrasings.map((p) => ({
        lang: p.lang,
        text: `${p.text} ${word(p.lang === "en" ? latin : syllables)} ${word(p.lang === "en" ? latin : syllables)}`,
      })),
    });
  }
  const buildStart = performance.now();
  const matcher = buildMatcher(intents);
  const buildMs = performance.now() - buildStart;
  const questions = set.questions;
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
  return { intents: intents.length, phrasings, questions: questions.length, buildMs, match: summarize(samples) };
}
