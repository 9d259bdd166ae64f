import type { Match } from "../matcher";

/**
 * How much a semantic tier that prefers another intent takes off an intent:
 * this share of the gap between its semantic confidence and the best one.
 */
export const DISAGREEMENT_WEIGHT = 0.5;

/**
 * The lexical and semantic matches of one message as one list, best first,
 * on the same calibrated 0..1 scale. Each intent takes the better of its two
 * confidences — a paraphrase the words miss is found by its meaning, a rare
 * word the vectors blur is found by its spelling — less half of how far the
 * semantic tier ranks it below its own favourite, so that a lexical match
 * the meaning contradicts loses to the intent the meaning points at. With
 * no semantic matches (off, slow, failing) the answer is the lexical list
 * as it is: the provider can never change the lexical decision by failing.
 */
export function fuse(lexical: Match[], semantic: Match[] | null | undefined): Match[] {
  if (!semantic?.length) return lexical;
  const best = Math.max(...semantic.map((m) => m.confidence));
  const meaning = new Map(semantic.map((m) => [m.intentId, m.confidence]));
  const words = new Map(lexical.map((m) => [m.intentId, m.confidence]));
  const fused: Match[] = [];
  for (const intentId of new Set([...words.keys(), ...meaning.keys()])) {
    const lex = words.get(intentId) ?? 0;
    // An intent the semantic tier did not list is at most as close as the last one it did.
    const sem = meaning.get(intentId) ?? Math.min(...meaning.values());
    const confidence = Math.max(lex, meaning.get(intentId) ?? 0) - DISAGREEMENT_WEIGHT * (best - sem);
    fused.push({ intentId, confidence: Math.min(1, Math.max(0, confidence)) });
  }
  return fused.sort((a, b) => b.confidence - a.confidence || a.intentId.localeCompare(b.intentId));
}
