import { tokenize } from "./normalize";
import type { Lang } from "./types";

// Letters only one of the two languages has.
const UK_LETTERS = /[іїєґ]/;
const RU_LETTERS = /[ыэъ]/;

// Common words that tell Ukrainian from Russian when no telling letter is there.
const UK_WORDS = new Set(
  "як що це чи де коли скільки мені моє мій ваш дякую будь ласка привіт вітаю так ні й та або але можна хочу треба замовлення доставка товар який яка яке котрій зараз ще вже тут там немає".split(" "),
);
const RU_WORDS = new Set(
  "как что это ли где когда сколько мне мое мой ваш спасибо пожалуйста привет здравствуйте да нет и или но можно хочу надо заказ доставка товар какой какая какое сейчас еще уже тут там нету".split(" "),
);

/** ru/uk/en from the letters and common words of a text; null when it has no letters to go by. */
export function detectLang(text: string): Lang | null {
  const tokens = tokenize(text);
  let cyrillic = 0;
  let latin = 0;
  let uk = 0;
  let ru = 0;
  for (const { word } of tokens) {
    if (/[\u0400-\u04ff]/.test(word)) cyrillic++;
    else if (/[a-z]/.test(word)) latin++;
    if (UK_LETTERS.test(word)) uk += 2;
    if (RU_LETTERS.test(word)) ru += 2;
    if (UK_WORDS.has(word)) uk++;
    if (RU_WORDS.has(word)) ru++;
  }
  if (cyrillic === 0 && latin === 0) return null;
  if (latin > cyrillic) return "en";
  return uk > ru ? "uk" : "ru";
}
