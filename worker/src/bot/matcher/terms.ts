import { tokenize } from "./normalize";
import { SLANG } from "./slang";
import { isStopword, stems } from "./stem";

/**
 * One word of a text: the word as normalized (before chat shorthand is expanded), its possible stems,
 * and the stems of its Cyrillic readings if it was typed in Latin.
 */
export type Word = { text: string; stems: string[]; alts: string[]; stop: boolean };

/** Weight factor of a stop word: present, but far less telling than a content word. */
export const STOP_WEIGHT = 0.25;

/** `alts: false`: without the readings of Latin words as Cyrillic (a phrasing's words are taken as written). */
export function words(text: string, options: { alts?: boolean } = {}): Word[] {
  const out: Word[] = [];
  for (const token of tokenize(text, options)) {
    // Order numbers, sums, dates say nothing about the intent.
    if (/^\d+$/.test(token.word)) continue;
    const word = SLANG[token.word] ?? token.word;
    out.push({
      text: token.word,
      stems: stems(word),
      alts: word === token.word ? token.alts.flatMap((alt) => stems(alt)) : [],
      stop: isStopword(word),
    });
  }
  return out;
}
