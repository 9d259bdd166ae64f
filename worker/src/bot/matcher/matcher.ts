import { calibrated, calibrationOf, spread, UNCALIBRATED, type Calibration } from "./calibrate";
import { learnFeedback } from "./feedback";
import { Fuzzy, stemSimilarity } from "./fuzzy";
import { synonymsOf } from "./synonyms";
import { STOP_WEIGHT, words, type Word } from "./terms";
import type { Feedback, HeldOut, Lang, Match, MatchIntent, Matcher } from "./types";


// How much a reading of a Latin word as Cyrillic (transliteration, wrong layout) is trusted.
const ALT_TRUST = 0.9;
// How much a synonym (synonyms.ts) of a word the base does not know is trusted.
const SYNONYM_TRUST = 0.8;
// A question's word met a phrasing "well" when it brought at least this share of its own weight.
const GOOD_HIT = 0.6;
// The share of a question's unknown words that counts against a match even under the long-message allowance.
const UNKNOWN_SHARE = 0.1;
// Confidence mixes the best single phrasing with how much of the question the intent covers as a whole.
const PHRASING_SHARE = 0.7;
// How much an intent's answer counts as evidence for it, next to its phrasings. Measured on the demo base
// cut to its first 3 phrasings per intent and language: the right intent ranked first 68.7 -> 71.3 %
// (0.4: 70.7, 0.8: 71.5, 1.0: 71.8, but then a phrasing held out is ranked under its intent's answer).
const ANSWER_TRUST = 0.6;
const ANSWER_FILLS = 3;
const MIN_ANSWER_TRUST = 0.1;

/** The phrasings that have a stem, and the weight of the word that has it in each (parallel arrays). */
type Postings = { phrasings: Int32Array; weights: Float64Array };
type QueryWord = { candidates: Map<string, number>; weight: number; content: boolean };

/**
 * `calibration` puts the confidences on this base's scale (calibrate.ts): as stored, or `{ measure: n }`
 * to measure it here, n phrasings held out. Without it they are raw scores, which calibrating starts from.
 */
export function buildMatcher(intents: MatchIntent[], feedback: Feedback[] = [], calibration: Calibration | { measure: number } = UNCALIBRATED): Matcher {
  const live = intents.filter((intent) => intent.enabled);
  // An intent's answers are evidence too, trusted less than its phrasings: on a base with three phrasings
  // per language they hold many of the words customers use ("we deliver in 1–2 days", "the courier").
  // They count toward how much of a question the intent covers, never as a phrasing of their own.
  const parsed = live.map((intent) => [
    ...intent.phrasings.map((p) => ({ lang: p.lang, text: p.text, words: words(p.text, { alts: false }), answer: 0 })),
    ...answersOf(intent).map((a) => ({ lang: a.lang, text: a.text, words: words(a.text, { alts: false }).filter((w) => !w.stop), answer: answerTrust(intent) })),
  ]);

  // Inverse document frequency, documents being intents: a stem in every intent tells nothing.
  const intentsWith = new Map<string, number>();
  parsed.forEach((phrasings) => {
    const seen = new Set<string>();
    for (const p of phrasings) for (const w of p.words) for (const s of w.stems) seen.add(s);
    for (const s of seen) intentsWith.set(s, (intentsWith.get(s) ?? 0) + 1);
  });
  const count = Math.max(1, live.length);
  // A word the knowledge base has never seen counts a little more than its rarest word: a short question
  // with one is most likely about something the base does not cover ("можно купить оптом"). A long
  // message's filler is kept from diluting a good match by the allowance in `score`.
  const unknownIdf = 1.2 * Math.log(1 + Math.max(count, 2));
  const idf = (stem: string) => {
    const df = intentsWith.get(stem);
    return df ? Math.log(1 + count / df) : unknownIdf;
  };
  const wordWeight = (w: Word, stems: Iterable<string>) => {
    let best = 0;
    for (const s of stems) best = Math.max(best, idf(s));
    return (best || unknownIdf) * (w.stop ? STOP_WEIGHT : 1);
  };

  // Phrasings as parallel arrays, numbered in the knowledge base's order: their intent, language and weight.
  const phrasingIntent: number[] = [];
  const phrasingLang: (Lang | null)[] = [];
  const phrasingWeight: number[] = [];
  const answerEntry: boolean[] = [];
  // The real phrasings' numbers, in the knowledge base's order (the answers' entries are not questions).
  const questions: { index: number; text: string; lang: Lang | null }[] = [];
  const building = new Map<string, { phrasings: number[]; weights: number[] }>();
  parsed.forEach((list, intent) => {
    for (const p of list) {
      const index = phrasingIntent.length;
      let total = 0;
      for (const w of p.words) {
        const weight = wordWeight(w, w.stems) * (p.answer || 1);
        total += weight;
        for (const s of w.stems) {
          const list = building.get(s);
          if (list) list.phrasings.push(index), list.weights.push(weight);
          else building.set(s, { phrasings: [index], weights: [weight] });
        }
      }
      if (!p.answer) questions.push({ index, text: p.text, lang: p.lang });
      answerEntry.push(p.answer > 0);
      phrasingIntent.push(intent);
      phrasingLang.push(p.lang);
      phrasingWeight.push(total);
    }
  });
  // Typed arrays: a question against 1,000 intents walks tens of thousands of postings.
  const postings = new Map<string, Postings>();
  for (const [stem, list] of building) postings.set(stem, { phrasings: Int32Array.from(list.phrasings), weights: Float64Array.from(list.weights) });
  const phrasingCount = phrasingIntent.length;
  const questionOf = new Int32Array(phrasingCount).fill(-1);
  questions.forEach((q, n) => (questionOf[q.index] = n));
  const fuzzy = new Fuzzy(postings.keys());

  function lookup(w: Word): QueryWord {
    const candidates = new Map<string, number>();
    const add = (stem: string, sim: number) => {
      if (postings.has(stem) && sim > (candidates.get(stem) ?? 0)) candidates.set(stem, sim);
    };
    const withSynonyms = (stem: string, sim: number) => {
      add(stem, sim);
      for (const t of synonymsOf(stem)) add(t, sim * SYNONYM_TRUST);
    };
    for (const s of w.stems) add(s, 1);
    // A Latin word the base knows as it is ("pay") is not read as Cyrillic ("па").
    if (candidates.size === 0) for (const s of w.alts) add(s, ALT_TRUST);
    // A word the base does not know is read as its synonyms ("аннулировать" as "отменить").
    if (candidates.size === 0) {
      for (const s of w.stems) withSynonyms(s, 1);
      for (const s of w.alts) withSynonyms(s, ALT_TRUST);
    }
    if (candidates.size === 0) {
      for (const s of w.stems) for (const [c, sim] of fuzzy.near(s)) add(c, sim);
      for (const s of w.alts) for (const [c, sim] of fuzzy.near(s)) add(c, sim * ALT_TRUST);
    }
    const known = [...candidates.keys(), ...w.alts.filter((s) => postings.has(s))];
    return { candidates, weight: wordWeight(w, known.length ? known : w.stems), content: !w.stop };
  }

  // Scratch arrays reused by every match() call: no allocation per phrasing.
  const phrasingScore = new Float64Array(phrasingCount);
  // How many of the question's content words a phrasing met well: the evidence that it is about this.
  const phrasingHits = new Uint16Array(phrasingCount);
  const wordBest = new Float64Array(phrasingCount);
  const touched = new Int32Array(phrasingCount);
  const hit = new Int32Array(phrasingCount);
  const intentScore = new Float64Array(live.length);
  const intentWordBest = new Float64Array(live.length);
  const intentBest = new Float64Array(live.length);
  // Per intent, how much of the question counts against it (see `said`): its best phrasing's.
  const intentCounted = new Float64Array(live.length).fill(Infinity);
  const touchedIntents = new Int32Array(live.length);
  const hitIntents = new Int32Array(live.length);
  const learned = learnFeedback(feedback);
  const liveIndex = new Map(live.map((intent, i) => [intent.id, i]));

  function score(text: string, lang: Lang | undefined, exclude = -1) {
    const query = distinct(words(text)).map(lookup);
    const total = query.reduce((sum, q) => sum + q.weight, 0);
    // Words the knowledge base has never seen, not even as a typo or a synonym: a sign of another subject.
    const unknown = UNKNOWN_SHARE * query.reduce((sum, q) => sum + (q.candidates.size ? 0 : q.weight), 0);
    let touchedCount = 0;
    let touchedIntentCount = 0;
    for (const q of query) {
      let hits = 0;
      for (const [stem, sim] of q.candidates) {
        const { phrasings, weights } = postings.get(stem)!;
        for (let k = 0; k < phrasings.length; k++) {
          const p = phrasings[k];
          if (p === exclude) continue;
          const value = sim * weights[k];
          if (wordBest[p] === 0) hit[hits++] = p;
          if (value > wordBest[p]) wordBest[p] = value;
        }
      }
      let hitIntentCount = 0;
      for (let k = 0; k < hits; k++) {
        const p = hit[k];
        if (phrasingScore[p] === 0) touched[touchedCount++] = p;
        // A query word counts at most its own weight, even when it met a heavier phrasing word.
        const gained = Math.min(wordBest[p], q.weight);
        phrasingScore[p] += gained;
        if (q.content && gained >= GOOD_HIT * q.weight) phrasingHits[p]++;
        const intent = phrasingIntent[p];
        if (intentWordBest[intent] === 0) hitIntents[hitIntentCount++] = intent;
        intentWordBest[intent] = Math.max(intentWordBest[intent], gained);
        wordBest[p] = 0;
      }
      for (let k = 0; k < hitIntentCount; k++) {
        const i = hitIntents[k];
        if (intentScore[i] === 0) touchedIntents[touchedIntentCount++] = i;
        intentScore[i] += intentWordBest[i];
        intentWordBest[i] = 0;
      }
    }
    for (let k = 0; k < touchedCount; k++) {
      const p = touched[k];
      const other = lang && phrasingLang[p] && phrasingLang[p] !== lang;
      // A phrasing in the customer's language wins a tie against one in another.
      // A long message that meets a phrasing well in two or more content words is not diluted by the
      // rest of what it says (an order number, a date, the story): of that rest, no more than the
      // phrasing's own weight counts against the match, and a share of its unknown words. One shared word
      // earns no such allowance, so a question about something else that happens to say "open" or
      // "order" stays unanswered.
      const said = phrasingHits[p] >= 2 ? Math.min(total, phrasingWeight[p] + phrasingScore[p] + unknown) : total;
      const dice = Math.min(1, (2 * phrasingScore[p]) / (said + phrasingWeight[p])) * (other ? 0.97 : 1);
      const intent = phrasingIntent[p];
      if (!answerEntry[p]) {
        if (dice > intentBest[intent]) intentBest[intent] = dice;
        if (said < intentCounted[intent]) intentCounted[intent] = said;
      }
      phrasingHits[p] = 0;
      phrasingScore[p] = 0;
    }
    const result = new Map<number, number>();
    for (let k = 0; k < touchedIntentCount; k++) {
      const i = touchedIntents[k];
      const against = Math.min(total, intentCounted[i]);
      const coverage = against ? Math.min(1, intentScore[i] / against) : 0;
      result.set(i, PHRASING_SHARE * intentBest[i] + (1 - PHRASING_SHARE) * coverage);
      intentScore[i] = 0;
      intentBest[i] = 0;
      intentCounted[i] = Infinity;
    }
    return result;
  }

  function heldOut(indices: Iterable<number>) {
    const out: HeldOut[] = [];
    for (const n of indices) {
      const { index: p, text, lang } = questions[n];
      const result = score(text, lang ?? undefined, p);
      const own = phrasingIntent[p];
      let other = 0;
      for (const [i, c] of result) if (i !== own && c > other) other = c;
      out.push({ own: result.get(own) ?? 0, other });
    }
    return out;
  }

  const scale = "measure" in calibration ? calibrationOf(heldOut(spread(questions.length, calibration.measure)), live.length) : calibration;

  return {
    touching(texts) {
      const found = new Set<number>();
      for (const text of texts) {
        for (const w of words(text, { alts: false })) {
          if (w.stop) continue;
          for (const s of w.stems) for (const p of postings.get(s)?.phrasings ?? []) if (questionOf[p] >= 0) found.add(questionOf[p]);
        }
      }
      return [...found].sort((a, b) => a - b);
    },
    heldOut: (indices) => heldOut(indices ?? questions.keys()),
    calibration: scale,
    match(text, options = {}) {
      const result = score(text, options.lang);
      for (const [i, raw] of result) result.set(i, calibrated(raw, scale));
      if (learned.size) applyFeedback(result, text);
      const matches: Match[] = [];
      for (const [i, confidence] of result) {
        if (confidence > 0) matches.push({ intentId: live[i].id, confidence: round(confidence) });
      }
      matches.sort((a, b) => b.confidence - a.confidence);
      return matches.slice(0, options.limit ?? 5);
    },
  };

  // B6: a prompter's reject sinks that intent for questions like the rejected one; an accept lifts it.
  function applyFeedback(result: Map<number, number>, text: string) {
    const shifted: [number, number][] = [];
    for (const [intentId, delta] of learned.shifts(text)) {
      const i = liveIndex.get(intentId);
      if (i !== undefined) shifted.push([i, delta]);
    }
    // In the knowledge base's order, so that ties keep one order whatever order the judgements came in.
    shifted.sort((a, b) => a[0] - b[0]);
    for (const [i, delta] of shifted) result.set(i, Math.max(0, Math.min(1, (result.get(i) ?? 0) + delta)));
  }
}

/** At most this many phrasings are held out to calibrate a base (calibrate.ts `spread`). */
export const HELD_OUT_LIMIT = 2000;

/** A base's calibration computed here and now, from its phrasings held out. */
export function calibrate(intents: MatchIntent[], limit = HELD_OUT_LIMIT): Calibration {
  return buildMatcher(intents, [], { measure: limit }).calibration;
}

/** An answer stands in for the phrasings a new base lacks: the more phrasings per language, the less it counts. */
function answerTrust(intent: MatchIntent) {
  const langs = new Set(intent.phrasings.map((p) => p.lang)).size || 1;
  return ANSWER_TRUST * Math.min(1, ANSWER_FILLS / Math.max(1, intent.phrasings.length / langs));
}

/**
 * The answers worth reading: none once an intent has so many phrasings that they would count for next to
 * nothing (over 18 per language), and of the rest only their content words — stop words in every answer
 * would make long postings for every question to walk.
 */
function answersOf(intent: MatchIntent) {
  return answerTrust(intent) >= MIN_ANSWER_TRUST ? (intent.answers ?? []) : [];
}

// A word said twice counts once: "pay … pay" is not twice the evidence for the one phrasing with "pay".
function distinct(list: Word[]) {
  const seen = new Set<string>();
  return list.filter((w) => {
    const key = w.stems.join(" ");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function round(x: number) {
  return Math.round(x * 1000) / 1000;
}

/**
 * 0..1: how alike two texts are, word by word (stems, typos, shared roots),
 * stop words counting little. Groups unanswered questions; the prompter's
 * feedback applies by the same measure, through an index (feedback.ts).
 */
export function similar(a: string, b: string): number {
  return wordsSimilarity(words(a), words(b));
}

function wordsSimilarity(a: Word[], b: Word[]): number {
  const weight = (w: Word) => (w.stop ? STOP_WEIGHT : 1);
  const total = a.reduce((s, w) => s + weight(w), 0) + b.reduce((s, w) => s + weight(w), 0);
  if (total === 0) return 0;
  const used = new Set<number>();
  let shared = 0;
  for (const x of a) {
    let best = 0;
    let at = -1;
    b.forEach((y, j) => {
      if (used.has(j)) return;
      const sim = wordSimilarity(x, y);
      if (sim > best) [best, at] = [sim, j];
    });
    if (at >= 0) {
      used.add(at);
      shared += best * Math.min(weight(x), weight(b[at]));
    }
  }
  return round((2 * shared) / total);
}

function wordSimilarity(x: Word, y: Word) {
  let best = 0;
  const xs = [...x.stems, ...x.alts];
  const ys = [...y.stems, ...y.alts];
  for (const s of xs) for (const t of ys) best = Math.max(best, stemSimilarity(s, t));
  return best;
}
