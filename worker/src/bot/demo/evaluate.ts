import { botTurn, NEW_STATE, type BotIntent } from "../engine";
import { ANSWER_THRESHOLD, buildMatcher, detectLang, HELD_OUT_LIMIT, type Lang, type MatchIntent } from "../matcher";

type Localized = Partial<Record<Lang, string>>;

/** The parts of the knowledge base exchange format (version 1) that the bot needs. */
export type KnowledgeBaseFile = {
  version: 1;
  intents: {
    key: string;
    name?: string;
    enabled: boolean;
    phrasings: Partial<Record<Lang, string[]>>;
    answer?: Localized;
    buttons?: BotIntent["buttons"];
    collect?: BotIntent["collect"];
  }[];
};
export type EvaluationFile = { version: 1; questions: { text: string; lang: Lang; intent: string | null }[] };

export function matchIntents(kb: KnowledgeBaseFile): MatchIntent[] {
  return kb.intents.map((intent) => ({
    id: intent.key,
    enabled: intent.enabled,
    phrasings: Object.entries(intent.phrasings).flatMap(([lang, texts]) =>
      (texts ?? []).map((text) => ({ lang: lang as Lang, text })),
    ),
    answers: Object.entries(intent.answer ?? {}).map(([lang, text]) => ({ lang: lang as Lang, text: text ?? "" })),
  }));
}

/** The intents as the bot's engine takes them, keyed (and identified) by their keys. */
export function botIntents(kb: KnowledgeBaseFile): Map<string, BotIntent> {
  return new Map(
    kb.intents.map((i) => [
      i.key,
      {
        id: i.key,
        key: i.key,
        name: i.name ?? i.key,
        enabled: i.enabled,
        answers: i.answer ?? {},
        answer: i.answer?.en ?? "",
        buttons: i.buttons ?? [],
        collect: i.collect ?? [],
        groupId: null,
      },
    ]),
  );
}

export type Outcome = {
  text: string;
  lang: Lang;
  expected: string | null;
  /** The matcher's best intent and its confidence, whatever was done with it. */
  got: string | null;
  confidence: number;
  /** The intent answered with, or null when the question went to a person. */
  answered: string | null;
  /** Why it went to a person (the engine's reason), when it did. */
  reason: string | null;
  ok: boolean;
};

/**
 * Runs every question through what decides an answer. An answerable question
 * is right when it is answered with its intent; an unanswerable one when it
 * goes to a person instead of being answered wrongly.
 *
 * `by: "bot"` (the default) scores the bot's real decision: the engine's
 * `botTurn` on the first message of a conversation, in the language the room
 * would detect, operators working and no language model — so an explicit ask
 * or a complaint escalates whatever the matcher says, and a match below
 * ANSWER_THRESHOLD escalates, the base calibrated. `by: "matcher"` scores the
 * calibrated matcher alone: its top intent at or above `threshold`.
 */
export function evaluate(kb: KnowledgeBaseFile, set: EvaluationFile, options: { by?: "bot" | "matcher"; threshold?: number } = {}) {
  const { by = "bot", threshold = ANSWER_THRESHOLD } = options;
  // Calibrated as the Worker calibrates a base when it changes (knowledge/calibration.ts).
  const matcher = buildMatcher(matchIntents(kb), [], { measure: HELD_OUT_LIMIT });
  const intents = botIntents(kb);
  const outcomes: Outcome[] = set.questions.map((q) => {
    const lang = detectLang(q.text) ?? q.lang;
    const top = matcher.match(q.text, { lang, limit: 1 })[0];
    let answered: string | null;
    let reason: string | null = null;
    if (by === "matcher") answered = top && top.confidence >= threshold ? top.intentId : null;
    else {
      const turn = botTurn({
        text: q.text,
        lang,
        state: NEW_STATE,
        intents,
        matcher,
        texts: { ru: {}, uk: {}, en: {} },
        operatorsOpen: true,
        contact: { email: null, phone: null, name: null },
        hasModel: false,
      });
      answered = turn.kind === "reply" ? turn.intentId : null;
      if (turn.kind === "escalate") reason = turn.reason;
    }
    return { text: q.text, lang: q.lang, expected: q.intent, got: top?.intentId ?? null, confidence: top?.confidence ?? 0, answered, reason, ok: answered === q.intent };
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
