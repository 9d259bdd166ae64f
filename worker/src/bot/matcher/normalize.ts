// Text → tokens, the same way for intents, questions and feedback.
// Handles case, ё/е, apostrophes, Latin look-alikes inside Cyrillic words,
// and keeps Latin-only words' transliteration and wrong-keyboard-layout
// readings as alternatives for the matcher to try.

const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN = /[a-z]/;

// Latin letters that look like Cyrillic ones ("зaкaз" typed with a Latin a).
const HOMOGLYPHS: Record<string, string> = {
  a: "а", b: "в", c: "с", e: "е", h: "н", i: "і", k: "к", m: "м",
  o: "о", p: "р", t: "т", x: "х", y: "у",
};

// QWERTY key → ЙЦУКЕН key, for text typed with the wrong layout ("pfrfp" = "заказ").
const LAYOUT: Record<string, string> = {
  q: "й", w: "ц", e: "у", r: "к", t: "е", y: "н", u: "г", i: "ш", o: "щ", p: "з", "[": "х", "]": "ъ",
  a: "ф", s: "ы", d: "в", f: "а", g: "п", h: "р", j: "о", k: "л", l: "д", ";": "ж", "'": "э",
  z: "я", x: "ч", c: "с", v: "м", b: "и", n: "т", m: "ь", ",": "б", ".": "ю", "`": "е",
};

// Latin transliteration of Russian/Ukrainian ("kak vernut tovar"); longest first.
const TRANSLIT: [string, string][] = [
  ["shch", "щ"], ["sch", "щ"], ["zh", "ж"], ["ch", "ч"], ["sh", "ш"], ["kh", "х"], ["ts", "ц"],
  ["yu", "ю"], ["ya", "я"], ["yo", "е"], ["ye", "е"], ["ju", "ю"], ["ja", "я"],
  ["a", "а"], ["b", "б"], ["v", "в"], ["g", "г"], ["d", "д"], ["e", "е"], ["z", "з"], ["i", "и"],
  ["j", "й"], ["k", "к"], ["l", "л"], ["m", "м"], ["n", "н"], ["o", "о"], ["p", "п"], ["r", "р"],
  ["s", "с"], ["t", "т"], ["u", "у"], ["f", "ф"], ["h", "х"], ["c", "ц"], ["y", "ы"], ["w", "в"],
  ["x", "кс"], ["q", "к"],
];

export type Token = {
  word: string;
  /** Cyrillic readings of a Latin-only word: transliteration, then keyboard layout. */
  alts: string[];
};

export function isCyrillic(word: string) {
  return CYRILLIC.test(word);
}

/** Lower case, ё→е, one kind of apostrophe, Latin look-alikes fixed inside Cyrillic words. */
export function normalize(text: string): string {
  return tokenize(text)
    .map((t) => t.word)
    .join(" ");
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const lower = text
    .normalize("NFC")
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[’ʼ`´']/g, "'");
  for (const chunk of lower.split(/\s+/)) {
    if (!chunk) continue;
    const words = chunk.replace(/'/g, "").match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const raw of words) {
      const word = fixMixed(raw);
      const alts: string[] = [];
      if (!isCyrillic(word) && LATIN.test(word) && !/\d/.test(word)) {
        alts.push(transliterate(word));
        // Only a whole chunk can be re-read with the other layout: its punctuation keys are letters there.
        if (words.length === 1 || /^[a-z\[\];',.`]+$/.test(chunk)) alts.push(relayout(chunk));
      }
      tokens.push({ word, alts });
    }
    // A chunk of layout punctuation splits into several words above; add the whole reading once.
    if (words.length > 1 && /^[a-z\[\];',.`]+$/.test(chunk) && tokens.length) {
      tokens[tokens.length - 1].alts.push(relayout(chunk));
    }
  }
  return tokens;
}

function fixMixed(word: string) {
  if (!isCyrillic(word) || !LATIN.test(word)) return word;
  let out = "";
  for (const ch of word) out += HOMOGLYPHS[ch] ?? ch;
  return out;
}

export function transliterate(word: string) {
  let out = "";
  let i = 0;
  outer: while (i < word.length) {
    for (const [latin, cyr] of TRANSLIT) {
      if (word.startsWith(latin, i)) {
        out += cyr;
        i += latin.length;
        continue outer;
      }
    }
    out += word[i++];
  }
  return out;
}

export function relayout(chunk: string) {
  let out = "";
  for (const ch of chunk) out += LAYOUT[ch] ?? ch;
  return out.replace(/[^\p{L}\p{N}]/gu, "");
}
