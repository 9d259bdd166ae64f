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

// Cyrillic letters that look like Latin ones ("where is my оrder" typed with a Cyrillic о).
const LATIN_LOOKALIKES: Record<string, string> = Object.fromEntries(
  Object.entries(HOMOGLYPHS).map(([latin, cyrillic]) => [cyrillic, latin]),
);

// QWERTY key → ЙЦУКЕН key, for text typed with the wrong layout ("pfrfp" = "заказ").
const LAYOUT: Record<string, string> = {
  q: "й", w: "ц", e: "у", r: "к", t: "е", y: "н", u: "г", i: "ш", o: "щ", p: "з", "[": "х", "]": "ъ",
  a: "ф", s: "ы", d: "в", f: "а", g: "п", h: "р", j: "о", k: "л", l: "д", ";": "ж", "'": "э",
  z: "я", x: "ч", c: "с", v: "м", b: "и", n: "т", m: "ь", ",": "б", ".": "ю", "`": "е",
};

// The Ukrainian layout has і, ї, є where the Russian one has ы, ъ, э.
const LAYOUT_UK: Record<string, string> = { ...LAYOUT, s: "і", "]": "ї", "'": "є" };

// Latin transliteration of Russian ("kak vernut tovar"); longest first.
const TRANSLIT: [string, string][] = [
  ["shch", "щ"], ["sch", "щ"], ["zh", "ж"], ["ch", "ч"], ["sh", "ш"], ["kh", "х"], ["ts", "ц"],
  ["yu", "ю"], ["ya", "я"], ["yo", "е"], ["ye", "е"], ["ju", "ю"], ["ja", "я"],
  ["a", "а"], ["b", "б"], ["v", "в"], ["g", "г"], ["d", "д"], ["e", "е"], ["z", "з"], ["i", "и"],
  ["j", "й"], ["k", "к"], ["l", "л"], ["m", "м"], ["n", "н"], ["o", "о"], ["p", "п"], ["r", "р"],
  ["s", "с"], ["t", "т"], ["u", "у"], ["f", "ф"], ["h", "х"], ["c", "ц"], ["y", "ы"], ["w", "в"],
  ["x", "кс"], ["q", "к"],
];

// Latin transliteration of Ukrainian, as the national standard writes it ("pratsiuiete" = "працюєте").
const TRANSLIT_UK: [string, string][] = [
  ["shch", "щ"], ["zh", "ж"], ["kh", "х"], ["ts", "ц"], ["ch", "ч"], ["sh", "ш"],
  ["yu", "ю"], ["iu", "ю"], ["ya", "я"], ["ia", "я"], ["ye", "є"], ["ie", "є"], ["yi", "ї"],
  ["a", "а"], ["b", "б"], ["v", "в"], ["h", "г"], ["g", "г"], ["d", "д"], ["e", "е"], ["z", "з"], ["y", "и"],
  ["i", "і"], ["j", "й"], ["k", "к"], ["l", "л"], ["m", "м"], ["n", "н"], ["o", "о"], ["p", "п"], ["r", "р"],
  ["s", "с"], ["t", "т"], ["u", "у"], ["f", "ф"], ["c", "ц"], ["w", "в"], ["x", "кс"], ["q", "к"],
];

export type Token = {
  word: string;
  /** Cyrillic readings of a Latin-only word: transliterations, then keyboard layouts (ru, uk). */
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

/** `alts: false` leaves the Latin words' Cyrillic readings out: a knowledge base's phrasings need none. */
export function tokenize(text: string, options: { alts?: boolean } = {}): Token[] {
  const withAlts = options.alts ?? true;
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
      if (withAlts && !isCyrillic(word) && LATIN.test(word) && !/\d/.test(word)) {
        alts.push(transliterate(word));
        const uk = transliterate(word, TRANSLIT_UK);
        if (uk !== alts[0]) alts.push(uk);
        // Only a whole chunk can be re-read with the other layout: its punctuation keys are letters there.
        if (words.length === 1 || /^[a-z\[\];',.`]+$/.test(chunk)) alts.push(...relayouts(chunk));
      }
      tokens.push({ word, alts });
    }
    // A chunk of layout punctuation splits into several words above; add the whole reading once.
    if (withAlts && words.length > 1 && /^[a-z\[\];',.`]+$/.test(chunk) && tokens.length) {
      tokens[tokens.length - 1].alts.push(...relayouts(chunk));
    }
  }
  return tokens;
}

// A word of both scripts is one word typed with a look-alike from the other: the script of most of its letters wins.
function fixMixed(word: string) {
  if (!isCyrillic(word) || !LATIN.test(word)) return word;
  let latin = 0;
  for (const ch of word) if (LATIN.test(ch)) latin++;
  const toLatin = latin * 2 > word.length && [...word].every((ch) => !CYRILLIC.test(ch) || ch in LATIN_LOOKALIKES);
  let out = "";
  for (const ch of word) out += (toLatin ? LATIN_LOOKALIKES[ch] : HOMOGLYPHS[ch]) ?? ch;
  return out;
}

export function transliterate(word: string, table = TRANSLIT) {
  let out = "";
  let i = 0;
  outer: while (i < word.length) {
    for (const [latin, cyr] of table) {
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

export function relayout(chunk: string, layout = LAYOUT) {
  let out = "";
  for (const ch of chunk) out += layout[ch] ?? ch;
  return out.replace(/[^\p{L}\p{N}]/gu, "");
}

/** The Russian and, where it differs, the Ukrainian layout's reading of a chunk. */
function relayouts(chunk: string) {
  const ru = relayout(chunk);
  const uk = relayout(chunk, LAYOUT_UK);
  return uk === ru ? [ru] : [ru, uk];
}
