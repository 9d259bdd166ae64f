import { ANSWER_THRESHOLD, buildMatcher, type Lang, type MatchIntent } from "../matcher";

/** The parts of the knowledge base exchange format (version 1) that matching needs. */
export type KnowledgeBaseFile = {
  version: 1;
  intents: { key: string; enabled: boolean; phrasings: Partial<Record<Lang, string[]>> }[];
};
export type EvaluationFile = { version: 1; questions: { text: string; lang: Lang; intent: string | null }[] };

export function matchIntents(kb: KnowledgeBaseFile): MatchIntent[] {
  return kb.intents.map((intent) => ({
    id: intent.key,
    enabled: intent.enabled,
    phrasings: Object.entries(intent.phrasings).flatMap(([lang, texts]) =>
      (texts ?? []).map((text) => ({ lang: lang as Lang, text })),
    ),
  }));
}

export type Outcome = { text: string; lang: Lang; expected: string | null; got: string | null; confidence: number; ok: boolean };

/**
 * Runs every question through the matcher. An answerable question is right when
 * its intent comes first at or above the threshold; an unanswerable one when the
 * top confidence stays below it (the bot escalates instead of answering wrongly).
 */
export function evaluate(kb: KnowledgeBaseFile, set: EvaluationFile, threshold = ANSWER_THRESHOLD) {
  const matcher = buildMatcher(matchIntents(kb));
  const outcomes: Outcome[] = set.questions.map((q) => {
    const top = matcher.match(q.text, { lang: q.lang, limit: 1 })[0];
    const answered = top && top.confidence >= threshold ? top.intentId : null;
    return { text: q.text, lang: q.lang, expected: q.intent, got: top?.intentId ?? null, confidence: top?.confidence ?? 0, ok: answered === q.intent };
  });
  const rate = (list: Outcome[]) => (list.length ? list.filter((o) => o.ok).length / list.length : 1);
  const rows = (["ru", "uk", "en", null] as const).map((lang) => {
    const mine = outcomes.filter((o) => lang === null || o.lang === lang);
    const answerable = mine.filter((o) => o.expected !== null);
    const unanswerable = mine.filter((o) => o.expected === null);
    return {
      lang: lang ?? "all",
      answerable: answerable.length,
      top1: rate(answerable),
      unanswerable: unanswerable.length,
      escalated: rate(unanswerable),
    };
  });
  return { outcomes, rows };
}
