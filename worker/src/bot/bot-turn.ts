import type { Db } from "../db/client";
import type { AiBinding } from "../embeddings/provider";
import type { OutboundPolicy } from "../http/outbound-url";
import { loadBotContext, type BotContext } from "./bot-context";
import { readContact } from "./bot-store";
import { afterModel, botTurn, type Action, type TurnInput } from "./engine";
import { askModel } from "./llm";
import { detectLang, type Lang, type Matcher } from "./matcher";
import { semanticMatches } from "./semantic/semantic-matches";

export type BotInput = { context: BotContext; input: TurnInput };

/** What the engine needs for a turn in this conversation, or null when its site has no bot. */
export async function loadBotInput(db: Db, c: { id: string; workspaceId: string }, text: string): Promise<BotInput | null> {
  const context = await loadBotContext(db, c.id);
  if (!context?.configured) return null;
  const { state } = context;
  const contact = await readContact(db, c);
  const lang: Lang = detectLang(text) ?? state.lang ?? context.siteLang ?? context.pageLang ?? "en";
  const input: TurnInput = {
    text,
    lang,
    state,
    intents: context.intents,
    matcher: context.matcher,
    texts: context.texts,
    operatorsOpen: context.operatorsOpen,
    contact: { email: contact?.email ?? null, phone: contact?.phone ?? null, name: contact?.name ?? null },
    hasModel: context.model !== null,
  };
  return { context, input };
}

/** What the semantic tier needs from the room: the store, the deployment's Workers AI, and a way to wake the embedder. */
export type SemanticServices = { db: Db; ai?: AiBinding; kick: () => void };

/**
 * A lexical top this confident is answered without asking the semantic
 * tier. On the calibrated scale 0.5 is the answer line, placed where nine in
 * ten of the base's held-out phrasings have their nearest *other* intent
 * below it; 0.8 is far past anywhere a wrong intent reaches on the base's
 * own phrasings, so the meaning could at most confirm it — not worth holding
 * the conversation's sequencer for up to the provider's timeout.
 */
export const CONFIDENT_LEXICAL = 0.8;

/** The matcher, noting whether the turn asked it anything (a tapped button, a field, a complaint do not), and its best confidence. */
function watched(matcher: Matcher) {
  const seen = { asked: false, top: 0 };
  const counted: Matcher = {
    ...matcher,
    match(text, options) {
      seen.asked = true;
      const matches = matcher.match(text, options);
      seen.top = Math.max(seen.top, matches[0]?.confidence ?? 0);
      return matches;
    },
  };
  return { matcher: counted, seen };
}

/**
 * The bot's answer to a customer message: from the knowledge base, or,
 * when nothing matches and the workspace has one, from its language model
 * (which hands over when it does not know or does not answer in time),
 * with the semantic tier's matches fused in when it has them in time,
 * at a URL `policy` allows (checked again here: it may have been stored
 * before the rule).
 */
export async function takeTurn({ context, input }: BotInput, policy: OutboundPolicy, semantic?: SemanticServices): Promise<Action> {
  if (context.embedderBehind) semantic?.kick();
  const { matcher, seen } = watched(input.matcher);
  let turn = botTurn({ ...input, matcher });
  // The semantic tier only where the matcher decided and was not already sure, and only with an answer in time: else the lexical turn stands.
  if (seen.asked && seen.top < CONFIDENT_LEXICAL && context.semantic && semantic) {
    const matches = await semanticMatches(semantic.db, context.semantic, input.text, { ai: semantic.ai, policy });
    if (matches) turn = botTurn({ ...input, semantic: matches });
  }
  if (turn.kind !== "ask_model") return turn;
  const knowledge = [...context.intents.values()].filter((i) => i.enabled).map((i) => ({ name: i.name, answer: i.answers[input.lang] || i.answer }));
  const answer = await askModel(context.model!, input.text, input.lang, knowledge, policy);
  return afterModel(input, turn.state, answer.ok ? answer.answer : null, turn.confidence);
}
