export type Lang = "ru" | "uk" | "en";
export type MatchIntent = {
  id: string;
  enabled: boolean;
  phrasings: { lang: Lang | null; text: string }[];
  /** The intent's answers: weaker evidence than its phrasings. */
  answers?: { lang: Lang | null; text: string }[];
};
/**
 * A prompter's accept or reject of a suggested intent for a customer's question (B6);
 * `at` (ms) tells which are the most recent, else the order given does (oldest first).
 */
export type Feedback = { question: string; intentId: string; accepted: boolean; at?: number };
/** One phrasing matched against the rest of its base: its own intent's raw score and the best other intent's. */
export type HeldOut = { own: number; other: number };
/** confidence is in 0..1. */
export type Match = { intentId: string; confidence: number };
export interface Matcher {
  /** Best first; disabled intents are never returned. */
  match(text: string, options?: { lang?: Lang; limit?: number }): Match[];
  /**
   * Calibration (calibrate.ts): the phrasings of the enabled intents are numbered in order from 0; each
   * one asked is matched with itself left out, and answered with raw scores.
   */
  heldOut(indices?: Iterable<number>): HeldOut[];
  /** The numbers of the phrasings that share a word (not a stop word) with any of these texts. */
  touching(texts: string[]): number[];
  /** The scale its confidences are on (raw scores: `answerAt` 0.5). */
  calibration: { answerAt: number };
}
