import { Fuzzy, stemSimilarity } from "./fuzzy";
import { STOP_WEIGHT, words, type Word } from "./terms";
import type { Feedback } from "./types";

/** How similar a question must be to a judged one for the judgement to apply. */
export const FEEDBACK_NEAR = 0.5;
/** Judgements kept per intent, the most recent: enough to learn from, and a bound on what each question costs. */
export const FEEDBACK_PER_INTENT = 200;
/**
 * A judged question longer than this many words is not learned from: it is
 * pasted text rather than a question, and at 0.5 similarity it could only ever
 * apply to a message a third of its length or more.
 */
export const FEEDBACK_MAX_WORDS = 40;

/** Shift of an intent's confidence per judgement, times the questions' similarity; the sum is clamped. */
const ACCEPT = 0.25;
const REJECT = -0.5;
const MAX_RISE = 0.4;
const MAX_SINK = 0.8;

type Judged = {
  words: Word[];
  /** Per word: its forms and its weight, looked up by every comparison. */
  forms: string[][];
  weights: number[];
  weight: number;
  content: boolean;
  shift: Map<string, number>;
};

/**
 * B6: learned prompter judgements, indexed so that a question is compared only
 * with judged questions that share a word with it (a stem, a reading of a
 * Latin word, or a typo of one, as the matcher finds them) — not with every
 * judgement ever stored. The same judged text is compared once however often
 * it was judged.
 */
export function learnFeedback(feedback: Feedback[]) {
  const recent = mostRecentPerIntent(feedback);
  const byText = new Map<string, Judged>();
  for (const f of recent) {
    const list = words(f.question);
    if (list.length === 0 || list.length > FEEDBACK_MAX_WORDS) continue;
    const key = list.map((w) => w.text).join(" ");
    let judged = byText.get(key);
    if (!judged) {
      judged = { words: list, forms: list.map(formsOf), weights: list.map(wordWeight), weight: weightOf(list), content: list.some((w) => !w.stop), shift: new Map() };
      byText.set(key, judged);
    }
    judged.shift.set(f.intentId, (judged.shift.get(f.intentId) ?? 0) + (f.accepted ? ACCEPT : REJECT));
  }
  const judged = [...byText.values()];

  // Every form (stem or alternative reading) of every judged word → the judged questions with it.
  // Questions with a content word are found by their content words only: sharing "как" or "my"
  // is not being alike. A question of stop words alone is found by those.
  const index = new Map<string, number[]>();
  judged.forEach((j, at) => {
    for (const w of j.words) {
      if (j.content && w.stop) continue;
      for (const form of formsOf(w)) {
        const list = index.get(form);
        if (!list) index.set(form, [at]);
        else if (list[list.length - 1] !== at) list.push(at);
      }
    }
  });
  const vocabulary = new Set<string>();
  for (const j of judged) for (const w of j.words) for (const form of formsOf(w)) vocabulary.add(form);
  const fuzzy = new Fuzzy(vocabulary, true);
  // Scratch per judged question, reset after each question: the bound's gain, and which word met it last, how well.
  const met = new Float64Array(judged.length);
  const metBy = new Int32Array(judged.length).fill(-1);
  const metSim = new Float64Array(judged.length);

  /** Each form near one of the word's forms, with its similarity (1 for the same form). */
  function nearForms(w: Word): Map<string, number> {
    const near = new Map<string, number>();
    for (const form of formsOf(w)) {
      if (vocabulary.has(form)) near.set(form, 1);
      for (const candidate of fuzzy.near(form).keys()) {
        const sim = stemSimilarity(form, candidate);
        if (sim > (near.get(candidate) ?? 0)) near.set(candidate, sim);
      }
    }
    return near;
  }

  return {
    size: judged.length,
    /**
     * Confidence shifts per intent id for this question; intents no judgement applies to are absent.
     * `stats.compared` counts the judged questions it was compared with.
     */
    shifts(text: string, stats?: { compared: number }): Map<string, number> {
      const shift = new Map<string, number>();
      if (stats) stats.compared = 0;
      if (judged.length === 0) return shift;
      const question = words(text);
      const near = question.map(nearForms);
      const weight = weightOf(question);
      const content = question.some((w) => !w.stop);
      // One pass over the index finds the candidates and, for each, a bound on what it can share:
      // each question word at most a stop word's weight, or its best similarity to a word it meets there.
      const candidates: number[] = [];
      let allowance = 0;
      question.forEach((w, i) => {
        const own = wordWeight(w);
        allowance += Math.min(own, STOP_WEIGHT);
        if (content && w.stop) return;
        const gain = (sim: number) => Math.max(0, sim * own - Math.min(own, STOP_WEIGHT));
        for (const [form, sim] of near[i]) {
          for (const at of index.get(form) ?? []) {
            if (metBy[at] === -1) candidates.push(at);
            if (metBy[at] !== i) {
              met[at] += gain(sim);
              metBy[at] = i;
              metSim[at] = sim;
            } else if (sim > metSim[at]) {
              met[at] += gain(sim) - gain(metSim[at]);
              metSim[at] = sim;
            }
          }
        }
      });
      for (const at of candidates) {
        const bound = allowance + met[at];
        met[at] = 0;
        metBy[at] = -1;
        const j = judged[at];
        const total = weight + j.weight;
        // 2·shared / total ≥ 0.5 needs the lighter text to weigh a third of the heavier, and enough to share.
        if (Math.min(weight, j.weight) * 3 < Math.max(weight, j.weight) || (2 * bound) / total < FEEDBACK_NEAR - 1e-9) continue;
        if (stats) stats.compared++;
        const sim = similarity(question, near, weight, j);
        if (sim < FEEDBACK_NEAR) continue;
        for (const [intentId, per] of j.shift) shift.set(intentId, (shift.get(intentId) ?? 0) + per * sim);
      }
      for (const [intentId, delta] of shift) shift.set(intentId, Math.max(-MAX_SINK, Math.min(MAX_RISE, delta)));
      return shift;
    },
  };
}

/** The last FEEDBACK_PER_INTENT judgements of each intent, by `at` when given, else in the order given (oldest first). */
function mostRecentPerIntent(feedback: Feedback[]): Feedback[] {
  const ordered = feedback.every((f) => f.at !== undefined) ? [...feedback].sort((a, b) => a.at! - b.at!) : feedback;
  const kept = new Map<string, number>();
  const out: Feedback[] = [];
  for (let i = ordered.length - 1; i >= 0; i--) {
    const f = ordered[i];
    const count = kept.get(f.intentId) ?? 0;
    if (count >= FEEDBACK_PER_INTENT) continue;
    kept.set(f.intentId, count + 1);
    out.push(f);
  }
  return out.reverse();
}

function formsOf(w: Word) {
  return w.alts.length ? [...w.stems, ...w.alts] : w.stems;
}

const wordWeight = (w: Word) => (w.stop ? STOP_WEIGHT : 1);

function weightOf(list: Word[]) {
  return list.reduce((sum, w) => sum + wordWeight(w), 0);
}

/**
 * The same greedy word-by-word similarity as `similar()` (matcher.ts), with
 * each question word's near forms looked up once instead of an edit distance
 * per pair of words.
 */
function similarity(question: Word[], near: Map<string, number>[], weight: number, judged: Judged): number {
  const total = weight + judged.weight;
  if (total === 0) return 0;
  const used = new Uint8Array(judged.forms.length);
  let shared = 0;
  for (let i = 0; i < question.length; i++) {
    const mine = near[i];
    if (mine.size === 0) continue;
    let best = 0;
    let at = -1;
    for (let j = 0; j < judged.forms.length; j++) {
      if (used[j]) continue;
      let sim = 0;
      for (const form of judged.forms[j]) sim = Math.max(sim, mine.get(form) ?? 0);
      if (sim > best) [best, at] = [sim, j];
    }
    if (at >= 0) {
      used[at] = 1;
      shared += best * Math.min(wordWeight(question[i]), judged.weights[at]);
    }
  }
  return Math.round(((2 * shared) / total) * 1000) / 1000;
}
