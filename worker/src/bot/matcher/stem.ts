import { stemmer as english } from "@orama/stemmers/english";
import { stemmer as russian } from "@orama/stemmers/russian";
import { stemmer as ukrainian } from "@orama/stemmers/ukrainian";
import { isCyrillic } from "./normalize";
import type { Lang } from "./types";

const STEMMERS = { ru: russian, uk: ukrainian, en: english } as const;

/** Stem with one language's Snowball stemmer. */
export function stem(word: string, lang: Lang) {
  return STEMMERS[lang](word);
}

/**
 * The stems a word may have. A Cyrillic word gets both the Russian and the
 * Ukrainian stem: the languages share words, customers mix them, and the
 * language of a short question is often a guess.
 */
export function stems(word: string): string[] {
  let found = cache.get(word);
  if (found) return found;
  if (!isCyrillic(word)) found = [english(word)];
  else {
    const ru = russian(word);
    const uk = ukrainian(word);
    found = ru === uk ? [ru] : [ru, uk];
  }
  // Knowledge bases repeat their words a lot; a bounded cache makes building an index cheap.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, found);
  return found;
}

const cache = new Map<string, string[]>();
const CACHE_LIMIT = 50_000;

// Words that carry little meaning for telling intents apart. They still count,
// with a small weight, so that "где мой заказ" and "мой заказ" stay close.
const STOP = new Set(
  (
    // ru
    "и в во на с со к ко о об от до по за из у а но же ли бы то не ни да нет это этот эта эти я мы ты вы он она они мне меня мой моя мое мои моего " +
    "нам наш наша наше ваш ваша ваше вас вам вами у меня его ее их как так там тут вот уже еще очень пожалуйста пж плиз подскажите скажите " +
    "можно могу хочу хотел хотела мне бы ну ок а что чтобы если или есть ли для при про свой свою " +
    // uk
    "і й та в у на з із зі до по за від о про але що щоб як це цей ця ці я ми ти ви він вона вони мені мене мій моя моє мої наш ваш вас вам " +
    "його її їх так там тут вже ще дуже будь ласка підкажіть скажіть можна можу хочу хотів хотіла ну чи є або для при свій свою " +
    // en
    "a an the and or but of to in on at by for from with about is are was were be been am do does did i me my we our you your he she it its they them " +
    "this that these those there here can could would should will please so just any some have has had what how"
  ).split(/\s+/),
);

export function isStopword(word: string) {
  return STOP.has(word);
}
