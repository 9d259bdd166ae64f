// Schemas for the knowledge base (B1): its JSON exchange file, the API's
// bodies and answers, and a site's bot settings (B2–B4).
import * as v from "valibot";
import type { BotTexts } from "./bot-texts";
import { WorkingHours } from "./site";

/** The limits, in characters unless said otherwise; a file over them is refused with the limit named. */
export const KNOWLEDGE_LIMITS = {
  intents: 2000,
  key: 64,
  name: 100,
  phrasingsPerLang: 200,
  phrasing: 300,
  answer: 2000,
  buttons: 8,
  buttonLabel: 60,
  collect: 4,
  prompt: 300,
  /** An import's body, in bytes: a realistic 1,000-intent base is about 1.6 MB pretty-printed. */
  importBytes: 4 * 1024 * 1024,
} as const;
const L = KNOWLEDGE_LIMITS;

export const KNOWLEDGE_LANGS = ["ru", "uk", "en"] as const;
export type KnowledgeLang = (typeof KNOWLEDGE_LANGS)[number];
export const KnowledgeLang = v.picklist(KNOWLEDGE_LANGS, "language must be ru, uk or en");

export const IntentKey = v.pipe(
  v.string(),
  v.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "a key is lowercase latin letters, digits and single dashes, like delivery-time"),
  v.maxLength(L.key, `a key has at most ${L.key} characters`),
);

const text = (what: string, max: number) =>
  v.pipe(v.string(), v.trim(), v.minLength(1, `${what} is empty`), v.maxLength(max, `${what} is longer than ${max} characters`));

/** One text per language; the languages not written are left out. */
const langTexts = (what: string, max: number) =>
  v.strictObject({ ru: v.optional(text(what, max)), uk: v.optional(text(what, max)), en: v.optional(text(what, max)) });
const someLanguage = <T extends Record<string, unknown>>(what: string) =>
  v.check<T, string>((texts) => Object.values(texts).some((t) => t !== undefined), `${what} needs at least one language`);

export const LangTexts = langTexts("a text", L.answer);
export type LangTexts = { ru?: string; uk?: string; en?: string };

const Phrasings = v.pipe(
  v.strictObject({
    ru: v.optional(v.pipe(v.array(text("a phrasing", L.phrasing)), v.maxLength(L.phrasingsPerLang, `at most ${L.phrasingsPerLang} phrasings per language`))),
    uk: v.optional(v.pipe(v.array(text("a phrasing", L.phrasing)), v.maxLength(L.phrasingsPerLang, `at most ${L.phrasingsPerLang} phrasings per language`))),
    en: v.optional(v.pipe(v.array(text("a phrasing", L.phrasing)), v.maxLength(L.phrasingsPerLang, `at most ${L.phrasingsPerLang} phrasings per language`))),
  }),
  v.check((p) => Object.values(p).some((list) => list !== undefined && list.length > 0), "an intent needs at least one phrasing"),
);
export type Phrasings = { ru?: string[]; uk?: string[]; en?: string[] };

/** A quick reply: to another intent, by key, or to a person. Exactly one of the two. */
export const IntentButton = v.pipe(
  v.strictObject({
    label: v.pipe(langTexts("a button label", L.buttonLabel), someLanguage("a button label")),
    intent: v.optional(IntentKey),
    operator: v.optional(v.literal(true)),
  }),
  v.check((b) => (b.intent === undefined) !== (b.operator === undefined), 'a button has either "intent" or "operator": true'),
);
export type IntentButton = { label: LangTexts; intent?: string; operator?: true };

export const COLLECT_FIELDS = ["name", "email", "phone", "order"] as const;
export const IntentCollect = v.strictObject({
  field: v.picklist(COLLECT_FIELDS, "a field to collect is name, email, phone or order"),
  prompt: v.pipe(langTexts("a prompt", L.prompt), someLanguage("a prompt")),
});
export type IntentCollect = { field: (typeof COLLECT_FIELDS)[number]; prompt: LangTexts };

/** The parts an intent has both in the file and in the API. */
const intentEntries = {
  key: IntentKey,
  name: text("name", L.name),
  enabled: v.optional(v.boolean(), true),
  phrasings: Phrasings,
  answer: v.pipe(langTexts("an answer", L.answer), someLanguage("an answer")),
  buttons: v.optional(v.pipe(v.array(IntentButton), v.maxLength(L.buttons, `at most ${L.buttons} buttons`)), []),
  collect: v.optional(
    v.pipe(
      v.array(IntentCollect),
      v.maxLength(L.collect, `at most ${L.collect} fields to collect`),
      v.check((c) => new Set(c.map((f) => f.field)).size === c.length, "a field to collect appears twice"),
    ),
    [],
  ),
};

/** One intent in the exchange file: its group by name. */
export const FileIntent = v.strictObject({ ...intentEntries, group: v.optional(v.nullable(text("group", 100)), null) });
export type FileIntent = v.InferOutput<typeof FileIntent>;

/** The knowledge base's exchange file (import, export, the demo base). */
export const KnowledgeFile = v.pipe(
  v.object({
    version: v.literal(1, "version must be 1"),
    intents: v.pipe(v.array(FileIntent), v.maxLength(L.intents, `at most ${L.intents} intents`)),
  }),
  v.check((file) => duplicateKey(file.intents) === null, (issue) => `key "${duplicateKey(issue.input.intents)}" appears twice`),
);
export type KnowledgeFile = v.InferOutput<typeof KnowledgeFile>;

function duplicateKey(intents: { key: string }[]): string | null {
  const seen = new Set<string>();
  for (const { key } of intents) {
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return null;
}

/** An intent as the editor saves it: its group by id. */
export const IntentBody = v.object({ ...intentEntries, groupId: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(26))), null) });
export type IntentBody = v.InferOutput<typeof IntentBody>;

export const IntentEnabledBody = v.object({ enabled: v.boolean("enabled must be true or false") });

export const PhrasingBody = v.object({
  lang: KnowledgeLang,
  text: text("a phrasing", L.phrasing),
  /** The unanswered question it came from (B5), marked handled with it. */
  unansweredId: v.optional(v.pipe(v.string(), v.maxLength(26))),
});

export const ImportQuery = v.object({ mode: v.optional(v.picklist(["replace", "merge"], "mode must be replace or merge"), "merge") });

/** One intent as the API answers it. */
export type IntentView = {
  id: string;
  key: string;
  name: string;
  enabled: boolean;
  groupId: string | null;
  phrasings: Phrasings;
  answer: LangTexts;
  buttons: IntentButton[];
  collect: IntentCollect[];
  updatedAt: number;
};

export type KnowledgeList = { version: number; intents: IntentView[] };
export type ImportResult = { created: number; updated: number; deleted: number; version: number };

const minutes = (max: number) => v.pipe(v.number(), v.integer("minutes are whole"), v.minValue(0), v.maxValue(max));

/** A site's bot settings, stored as `sites.bot`; every field has a default, so `{}` is a working bot. */
/** A site's own wording of one of the bot's texts (B4), per language. */
const siteText = v.optional(langTexts("a text", 500));

export const SiteBot = v.object({
  enabled: v.optional(v.boolean(), true),
  /** When the bot answers, in the site's time zone; `{}` = always. */
  hours: v.optional(WorkingHours, {}),
  /** Close after this many minutes of customer silence; 0 = never. */
  idleCloseMinutes: v.optional(minutes(24 * 60), 30),
  /** Remind this many minutes before the idle close; 0 = no reminder. */
  reminderMinutes: v.optional(minutes(24 * 60), 5),
  /** The automations' texts (B4); a missing one takes the built-in text. */
  texts: v.optional(
    v.object({
      onTheWay: siteText,
      greeting: siteText,
      offlineAsk: siteText,
      offlineThanks: siteText,
      offlineAgain: siteText,
      invalid: siteText,
      notHelped: siteText,
      person: siteText,
      reminder: siteText,
      idleClosed: siteText,
    } satisfies Record<keyof BotTexts, unknown>),
    {},
  ),
});
export type SiteBot = v.InferOutput<typeof SiteBot>;

/** A stored bot setting read safely: anything not valid falls back to the defaults. */
export function readSiteBot(stored: unknown): SiteBot {
  const parsed = v.safeParse(SiteBot, stored);
  return parsed.success ? parsed.output : v.parse(SiteBot, {});
}
