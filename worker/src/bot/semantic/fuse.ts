import { ANSWER_THRESHOLD, type Match } from "../matcher";

/**
 * How much a semantic tier that prefers another intent takes off an intent:
 * this share of the gap between its semantic confidence and the best one.
 */
export const DISAGREEMENT_WEIGHT = 0.5;

/**
 * The lexical and semantic matches of one message as one list, best first,
 * on the same calibrated 0..1 scale. `semantic` holds every enabled intent
 * that has at least one vector (semantic-matches.ts); an intent missing
 * from it has none yet (new, waiting on a retry, failed), so the meaning
 * says nothing of it and it keeps its lexical confidence untouched: a
 * pending or failing provider never changes the lexical answer.
 *
 * Each intent with a vector takes the better of its two confidences — a
 * paraphrase the words miss is found by its meaning, a rare word the
 * vectors blur is found by its spelling — less half of how far the
 * semantic tier ranks it below its own favourite, so that a lexical match
 * the meaning contradicts loses to the intent the meaning points at. That
 * penalty only applies when the favourite is itself an answer (at or over
 * ANSWER_THRESHOLD): a semantic tier unsure everywhere has no favourite to
 * overrule the words with. With no semantic matches (off, slow, failing)
 * the answer is the lexical list as it is.
 */
export function fuse(lexical: Match[], semantic: Match[] | null | undefined): Match[] {
  if (!semantic?.length) return lexical;
  const best = Math.max(...semantic.map((m) => m.confidence));
  const confident = best >= ANSWER_THRESHOLD;
  const meaning = new Map(semantic.map((m) => [m.intentId, m.confidence]));
  const words = new Map(lexical.map((m) => [m.intentId, m.confidence]));
  const fused: Match[] = [];
  for (const intentId of new Set([...words.keys(), ...meaning.keys()])) {
    const lex = words.get(intentId) ?? 0;
    const sem = meaning.get(intentId);
    const confidence = sem === undefined ? lex : Math.max(lex, sem) - (confident ? DISAGREEMENT_WEIGHT * (best - sem) : 0);
    fused.push({ intentId, confidence: Math.min(1, Math.max(0, confidence)) });
  }
  return fused.sort((a, b) => b.confidence - a.confidence || a.intentId.localeCompare(b.intentId));
}
