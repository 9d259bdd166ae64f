export type Lang = "ru" | "uk" | "en";
export type MatchIntent = { id: string; enabled: boolean; phrasings: { lang: Lang | null; text: string }[] };
/**
 * A prompter's accept or reject of a suggested intent for a customer's question (B6);
 * `at` (ms) tells which are the most recent, else the order given does (oldest first).
 */
export type Feedback = { question: string; intentId: string; accepted: boolean; at?: number };
/** confidence is in 0..1. */
export type Match = { intentId: string; confidence: number };
export interface Matcher {
  /** Best first; disabled intents are never returned. */
  match(text: string, options?: { lang?: Lang; limit?: number }): Match[];
}
