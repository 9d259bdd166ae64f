import { KNOWLEDGE_LANGS, type IntentBody, type IntentView, type KnowledgeLang, type LangTexts } from "@tandem/protocol";

export const LANGS = KNOWLEDGE_LANGS;
export const LANG_LABEL: Record<KnowledgeLang, string> = { ru: "Русский", uk: "Українська", en: "English" };
export const OPERATOR = "@operator";

type Texts = Record<KnowledgeLang, string>;

/** An intent as the editor holds it: every language present, phrasings one per line. */
export type Draft = {
  key: string;
  name: string;
  enabled: boolean;
  groupId: string;
  phrasings: Texts;
  answer: Texts;
  buttons: { label: Texts; target: string }[];
  collect: { field: "name" | "email" | "phone" | "order"; prompt: Texts }[];
};

export const texts = (from: LangTexts = {}): Texts => ({ ru: from.ru ?? "", uk: from.uk ?? "", en: from.en ?? "" });

export function draftOf(intent?: IntentView): Draft {
  return {
    key: intent?.key ?? "",
    name: intent?.name ?? "",
    enabled: intent?.enabled ?? true,
    groupId: intent?.groupId ?? "",
    phrasings: { ru: (intent?.phrasings.ru ?? []).join("\n"), uk: (intent?.phrasings.uk ?? []).join("\n"), en: (intent?.phrasings.en ?? []).join("\n") },
    answer: texts(intent?.answer),
    buttons: (intent?.buttons ?? []).map((b) => ({ label: texts(b.label), target: b.operator ? OPERATOR : (b.intent ?? "") })),
    collect: (intent?.collect ?? []).map((c) => ({ field: c.field, prompt: texts(c.prompt) })),
  };
}

/** Blank languages and lines are left out; the server says what is still missing. */
function written(t: Texts): LangTexts {
  const out: LangTexts = {};
  for (const lang of LANGS) if (t[lang].trim()) out[lang] = t[lang].trim();
  return out;
}

export function bodyOf(draft: Draft): IntentBody {
  const phrasings: IntentBody["phrasings"] = {};
  for (const lang of LANGS) {
    const lines = draft.phrasings[lang].split("\n").map((line) => line.trim()).filter(Boolean);
    if (lines.length) phrasings[lang] = lines;
  }
  return {
    key: draft.key.trim(),
    name: draft.name.trim(),
    enabled: draft.enabled,
    groupId: draft.groupId || null,
    phrasings,
    answer: written(draft.answer),
    buttons: draft.buttons.map((b) => (b.target === OPERATOR ? { label: written(b.label), operator: true as const } : { label: written(b.label), intent: b.target })),
    collect: draft.collect.map((c) => ({ field: c.field, prompt: written(c.prompt) })),
  };
}

/** "delivery-time" from "Delivery time": a key to start from. */
export const keyOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
