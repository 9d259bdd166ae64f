/**
 * Confidence that means the same on a knowledge base of 3 phrasings per intent
 * and on one of 30 (issue 19). The matcher's raw score runs lower on a small
 * base: fewer phrasings hold fewer of a customer's words. So each base is
 * calibrated on its own phrasings: each is matched with itself left out, and
 * how high the best *other* intent comes for them tells how high a question
 * about something else reaches on this base. The raw score at which an answer
 * is given, `answerAt`, sits just under nine in ten of those; confidence is the
 * raw score mapped so that `answerAt` becomes ANSWER_THRESHOLD (0.5), 0 stays 0
 * and 1 stays 1. The ranking never changes, only the scale.
 */
import { ANSWER_THRESHOLD } from "./threshold";
import type { HeldOut } from "./types";

export type Calibration = { answerAt: number };

/** The raw score the demo base's 0.5 was tuned at: a base with no figures of its own answers there. */
export const UNCALIBRATED: Calibration = { answerAt: ANSWER_THRESHOLD };

// Of the phrasings held out, the share whose nearest other intent stays under the answer line, and how far under.
const OTHER_QUANTILE = 0.9;
const UNDER = 0.9;
// A base with few phrasings says little: its figure is drawn toward the default as if this many agreed with it.
const PRIOR_WEIGHT = 10;
// With fewer intents the nearest other one says nothing about a question on another subject.
const MIN_INTENTS = 4;
// However a base comes out, an answer needs at least this raw score and is given from this one.
const LOWEST = 0.25;
const HIGHEST = 0.6;

/**
 * Set from the demo base cut to 3, 5 and 10 phrasings per intent and language
 * (first ones and three random draws each) and whole, against its eight
 * evaluation sets pooled: the raw score that answered most questions right
 * while escalating 90 % of the rest was 0.33–0.37, 0.35–0.39, 0.41–0.46 and
 * 0.51; 0.9 × the 90th percentile of the nearest other intent gives
 * 0.35–0.39, 0.36–0.40, 0.41–0.44 and 0.50 on them.
 */
export function calibrationOf(heldOut: HeldOut[], intents: number): Calibration {
  if (heldOut.length === 0 || intents < MIN_INTENTS) return UNCALIBRATED;
  const others = heldOut.map((h) => h.other).sort((a, b) => a - b);
  const near = others[Math.min(others.length - 1, Math.floor(OTHER_QUANTILE * others.length))];
  const measured = UNDER * near;
  const n = heldOut.length;
  const answerAt = (n * measured + PRIOR_WEIGHT * UNCALIBRATED.answerAt) / (n + PRIOR_WEIGHT);
  return { answerAt: Math.round(Math.min(HIGHEST, Math.max(LOWEST, answerAt)) * 1000) / 1000 };
}

/** A raw score on the calibrated scale: piecewise linear, `answerAt` to ANSWER_THRESHOLD. */
export function calibrated(raw: number, { answerAt }: Calibration): number {
  if (raw <= 0) return 0;
  if (raw >= 1) return 1;
  return raw < answerAt ? (ANSWER_THRESHOLD * raw) / answerAt : ANSWER_THRESHOLD + ((1 - ANSWER_THRESHOLD) * (raw - answerAt)) / (1 - answerAt);
}

/**
 * Which phrasings to hold out when a base has more than `limit`: spread evenly
 * over the base, the same ones each time for the same count. The percentile of
 * 2,000 is as good as that of 100,000 for this purpose, and a 1,000-intent base
 * recalibrates in seconds.
 */
export function spread(count: number, limit: number): number[] {
  if (count <= limit) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: limit }, (_, i) => Math.floor((i * count) / limit));
}
