import { ANSWER_THRESHOLD, signals, type Lang, type Match, type Matcher } from "./matcher";
import { fuse } from "./semantic/fuse";
import { DEFAULT_TEXTS, FIELD_NAMES, FIELD_PROMPTS, fill, type BotTexts } from "./texts";

export type Field = "name" | "email" | "phone" | "order";
type Localized = Partial<Record<Lang, string>>;

/** An intent as the bot uses it (the knowledge base's exchange format, with ids). */
export type BotIntent = {
  id: string;
  key: string;
  name: string;
  enabled: boolean;
  answers: Localized;
  /** Fallback when there is no answer in the customer's language. */
  answer: string;
  buttons: { label: Localized; intent?: string; operator?: boolean }[];
  collect: { field: Field; prompt: Localized }[];
  groupId: string | null;
};

/** What the bot remembers of a conversation between messages (kept in the room's storage). */
export type BotState = {
  lang: Lang | null;
  /** The intent answered last, and how many times in a row the customer came back to it. */
  lastIntentId: string | null;
  misses: number;
  /** The buttons of the bot's last message: a customer who taps one sends its label. */
  offered: { label: string; intentId: string }[];
  /** Guided data collection (B7) in progress. */
  collecting: { intentId: string; index: number; values: Partial<Record<Field, string>> } | null;
  /** Outside the operators' hours, the bot asked for an e-mail or phone. */
  askedContact: boolean;
};

export const NEW_STATE: BotState = { lang: null, lastIntentId: null, misses: 0, offered: [], collecting: null, askedContact: false };

export type Button = { label: string; intent?: string; operator?: boolean };

/** What the bot does with one customer message. */
export type Turn =
  | { kind: "reply"; body: string; buttons: Button[]; intentId: string | null; state: BotState; collected?: { field: Field; value: string } }
  | {
      kind: "escalate";
      reason: string;
      body: string;
      groupId: string | null;
      intentId: string | null;
      state: BotState;
      /** For the unanswered list (B5): the bot could not answer this question. */
      unanswered?: "low_confidence" | "failed";
      /** Outside the operators' hours: waits in the queue as an offline request, with this contact. */
      offline?: { email?: string; phone?: string };
    }
  /** Nothing matched well and the workspace has a language model: ask it, then `afterModel`. */
  | { kind: "ask_model"; state: BotState; confidence: number };

/** A turn the room can carry out: a reply or a hand-over. */
export type Action = Exclude<Turn, { kind: "ask_model" }>;

export type TurnInput = {
  text: string;
  lang: Lang;
  state: BotState;
  intents: Map<string, BotIntent>;
  matcher: Matcher;
  texts: Record<Lang, Partial<BotTexts>>;
  /** Are operators working now (the site's hours)? */
  operatorsOpen: boolean;
  /** The contact as known, for offline requests. */
  contact: { email: string | null; phone: string | null; name: string | null };
  hasModel: boolean;
  /** The semantic tier's matches for this message (bot-turn.ts), fused with the lexical ones; absent: lexical alone. */
  semantic?: Match[] | null;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^\+?[\d\s\-().]{7,20}$/;
const ORDER = /^#?[A-Za-z0-9-]{3,24}$/;

/** A field's value from what the customer typed, or null when it does not look right. */
export function readField(field: Field, text: string): string | null {
  const value = text.trim().replace(/[.!]+$/, "");
  if (field === "email") return EMAIL.test(value) ? value.toLowerCase() : null;
  if (field === "phone") return PHONE.test(value) && value.replace(/\D/g, "").length >= 7 ? value : null;
  if (field === "order") return ORDER.test(value) && /\d/.test(value) ? value.replace(/^#/, "") : null;
  return value.length >= 2 && value.length <= 80 && !/[\d@]/.test(value) ? value : null;
}

/** An e-mail or a phone number anywhere in the text (the offline request). */
function findContact(text: string): { email?: string; phone?: string } | null {
  const email = text.match(/[^\s@,;]+@[^\s@,;]+\.[^\s@,;.]{2,}/)?.[0];
  if (email) return { email: email.toLowerCase() };
  const phone = text.match(/\+?\d[\d\s\-().]{5,18}\d/)?.[0];
  if (phone && phone.replace(/\D/g, "").length >= 7) return { phone: phone.trim() };
  return null;
}

export function say(input: Pick<TurnInput, "texts" | "lang">, key: keyof BotTexts, values: Record<string, string | null | undefined> = {}): string {
  return fill(input.texts[input.lang]?.[key] || DEFAULT_TEXTS[input.lang][key], values);
}

const localized = (text: Localized, lang: Lang, fallback = "") => text[lang] || text.en || text.ru || text.uk || fallback;

function answerOf(intent: BotIntent, lang: Lang, values: Record<string, string | null | undefined>) {
  return fill(localized(intent.answers, lang, intent.answer), values);
}

function buttonsOf(intent: BotIntent, lang: Lang, intents: Map<string, BotIntent>): { buttons: Button[]; offered: BotState["offered"] } {
  const byKey = new Map([...intents.values()].map((i) => [i.key, i]));
  const buttons: Button[] = [];
  const offered: BotState["offered"] = [];
  for (const b of intent.buttons) {
    const label = localized(b.label, lang);
    if (!label) continue;
    if (b.operator) buttons.push({ label, operator: true });
    else if (b.intent && byKey.get(b.intent)?.enabled) {
      buttons.push({ label, intent: b.intent });
      offered.push({ label, intentId: byKey.get(b.intent)!.id });
    }
  }
  return { buttons, offered };
}

/** The intent's answer with its buttons, or its first question when it collects fields first (B7). */
function answer(input: TurnInput, intent: BotIntent, state: BotState, prefix = "", offerPerson = false): Action {
  if (intent.collect.length > 0) {
    const first = intent.collect[0];
    return {
      kind: "reply",
      body: prefix + (localized(first.prompt, input.lang) || FIELD_PROMPTS[input.lang][first.field]),
      buttons: [],
      intentId: intent.id,
      state: { ...state, offered: [], collecting: { intentId: intent.id, index: 0, values: {} } },
    };
  }
  const { buttons, offered } = buttonsOf(intent, input.lang, input.intents);
  if (offerPerson && !buttons.some((b) => b.operator)) buttons.push({ label: say(input, "person"), operator: true });
  return { kind: "reply", body: prefix + answerOf(intent, input.lang, input.contact), buttons, intentId: intent.id, state: { ...state, offered, lastIntentId: intent.id } };
}

/** Hands the customer to a human; outside the operators' hours, asks for a contact first. */
export function escalate(input: TurnInput, state: BotState, reason: string, intent: BotIntent | null, unanswered?: "low_confidence" | "failed"): Action {
  const next = { ...state, offered: [], collecting: null };
  if (!input.operatorsOpen) {
    const { email, phone } = input.contact;
    if (email || phone) {
      const offline = email ? { email } : { phone: phone! };
      return { kind: "escalate", reason: `${reason}; offline request`, body: say(input, "offlineThanks", { contact: email ?? phone }), groupId: intent?.groupId ?? null, intentId: intent?.id ?? null, state: next, unanswered, offline };
    }
    return { kind: "reply", body: say(input, "offlineAsk"), buttons: [], intentId: intent?.id ?? null, state: { ...next, askedContact: true } };
  }
  return { kind: "escalate", reason, body: say(input, "onTheWay"), groupId: intent?.groupId ?? null, intentId: intent?.id ?? null, state: next, unanswered };
}

/**
 * One customer message while the conversation is with the bot (B1–B3, B7).
 * In order: a contact asked for outside hours, a field being collected, an
 * explicit ask for a person, a complaint, a tapped button, then the matcher:
 * a confident match is answered (the same intent twice more in a row counts
 * as a failed answer), anything else goes to a human or, if configured, to
 * the language model first.
 */
export function botTurn(input: TurnInput): Turn {
  const { text, intents } = input;
  const state = { ...input.state, lang: input.lang };
  const said = signals(text);

  if (state.askedContact) {
    const contact = findContact(text);
    if (contact) {
      return { kind: "escalate", reason: "offline request", body: say(input, "offlineThanks", { contact: contact.email ?? contact.phone }), groupId: null, intentId: state.lastIntentId, state: { ...state, askedContact: false }, offline: contact };
    }
    return { kind: "reply", body: say(input, "offlineAgain"), buttons: [], intentId: null, state };
  }

  if (state.collecting && !said.operator) {
    const intent = intents.get(state.collecting.intentId);
    const step = intent?.collect[state.collecting.index];
    if (intent && step) {
      const value = readField(step.field, text);
      if (!value) {
        const prompt = localized(step.prompt, input.lang) || FIELD_PROMPTS[input.lang][step.field];
        return { kind: "reply", body: `${say(input, "invalid", { field: FIELD_NAMES[input.lang][step.field] })} ${prompt}`, buttons: [], intentId: intent.id, state };
      }
      const values = { ...state.collecting.values, [step.field]: value };
      const collected = { field: step.field, value };
      const following = intent.collect[state.collecting.index + 1];
      if (following) {
        const prompt = localized(following.prompt, input.lang) || FIELD_PROMPTS[input.lang][following.field];
        return { kind: "reply", body: prompt, buttons: [], intentId: intent.id, state: { ...state, collecting: { ...state.collecting, index: state.collecting.index + 1, values } }, collected };
      }
      const { buttons, offered } = buttonsOf(intent, input.lang, intents);
      const body = answerOf(intent, input.lang, { ...input.contact, ...values });
      return { kind: "reply", body, buttons, intentId: intent.id, state: { ...state, collecting: null, offered, lastIntentId: intent.id, misses: 0 }, collected };
    }
  }

  if (said.operator) return escalate(input, state, "asked for a person", intents.get(state.lastIntentId ?? "") ?? null);
  if (said.complaint) return escalate(input, state, "complaint", intents.get(state.lastIntentId ?? "") ?? null);

  const tapped = state.offered.find((b) => b.label.trim().toLowerCase() === text.trim().toLowerCase());
  const top = tapped ? { intentId: tapped.intentId, confidence: 1 } : topMatch(input);
  const intent = top && top.confidence >= ANSWER_THRESHOLD ? intents.get(top.intentId) : undefined;
  if (!intent) {
    if (input.hasModel) return { kind: "ask_model", state, confidence: top?.confidence ?? 0 };
    return escalate(input, state, `low confidence (${(top?.confidence ?? 0).toFixed(2)} < ${ANSWER_THRESHOLD})`, null, "low_confidence");
  }
  if (intent.id === state.lastIntentId) {
    const misses = state.misses + 1;
    if (misses >= 2) return escalate(input, { ...state, misses }, "two failed answers in a row", intent, "failed");
    return answer(input, intent, { ...state, misses }, `${say(input, "notHelped")}\n\n`, true);
  }
  return answer(input, intent, { ...state, misses: 0 });
}

/** The best match: the lexical matcher's, fused with the semantic tier's when it answered in time. */
function topMatch(input: TurnInput): Match | undefined {
  if (!input.semantic) return input.matcher.match(input.text, { lang: input.lang, limit: 1 })[0];
  return fuse(input.matcher.match(input.text, { lang: input.lang, limit: 10 }), input.semantic)[0];
}

/** After the language model: its answer, or the hand-over a low confidence would have made. */
export function afterModel(input: TurnInput, state: BotState, answerText: string | null, confidence: number): Action {
  if (answerText) return { kind: "reply", body: answerText, buttons: [], intentId: null, state: { ...state, offered: [], lastIntentId: null } };
  return escalate(input, state, `low confidence (${confidence.toFixed(2)} < ${ANSWER_THRESHOLD}), no model answer`, null, "low_confidence");
}
