import { KNOWLEDGE_LANGS, type IntentButton, type IntentCollect, type LangTexts } from "@tandem/protocol";

// One fixed shape and key order for what is stored and exported, so an
// export imported and exported again comes out byte for byte the same.

export function langTexts(texts: LangTexts): LangTexts {
  const out: LangTexts = {};
  for (const lang of KNOWLEDGE_LANGS) if (texts[lang] !== undefined) out[lang] = texts[lang];
  return out;
}

export const buttons = (list: IntentButton[]): IntentButton[] =>
  list.map((b) => (b.operator ? { label: langTexts(b.label), operator: true } : { label: langTexts(b.label), intent: b.intent }));

export const collect = (list: IntentCollect[]): IntentCollect[] => list.map((c) => ({ field: c.field, prompt: langTexts(c.prompt) }));

/** The text kept in `intents.answer` for a language the intent was not written in. */
export const fallbackAnswer = (answer: LangTexts) => answer.en ?? answer.ru ?? answer.uk ?? "";
