// The bot's own words (B4) in the three languages: the engine speaks them, a
// site may override each one, and the settings page shows them as the defaults.

/** What the bot says around its answers (B4), per language; a site may override each one. */
export type BotTexts = {
  /** On escalation, while the customer waits for a human. */
  onTheWay: string;
  /** When an operator joins: `{operator}` is their name. */
  greeting: string;
  /** Outside the operators' hours, for what the bot cannot answer. */
  offlineAsk: string;
  /** After the customer left an e-mail or phone outside the operators' hours: `{contact}`. */
  offlineThanks: string;
  /** The e-mail or phone given outside hours did not look like one. */
  offlineAgain: string;
  /** A field asked for did not look right: `{field}`. */
  invalid: string;
  /** The same question again after an answer: the answer did not help. */
  notHelped: string;
  /** The button that calls a person. */
  person: string;
  /** Some minutes of silence before the idle close: `{minutes}`. */
  reminder: string;
  /** The conversation closed for silence. */
  idleClosed: string;
};

export const DEFAULT_TEXTS: Record<"ru" | "uk" | "en", BotTexts> = {
  en: {
    onTheWay: "I'm passing you to a colleague: an operator is on the way.",
    greeting: "Hi, I'm {operator}. I've read the conversation. What happened?",
    offlineAsk: "Our operators are offline right now. Leave your e-mail or phone number and we'll get back to you.",
    offlineThanks: "Thank you! We'll reply to {contact} as soon as we're back.",
    offlineAgain: "That doesn't look like an e-mail or a phone number. Could you check it?",
    invalid: "That doesn't look like a valid {field}. Could you check it?",
    notHelped: "Sorry that didn't help. Here it is once more; if it's not what you need, I'll call an operator.",
    person: "Talk to a person",
    reminder: "Are you still there? I'll close this chat in {minutes} min if there's nothing else.",
    idleClosed: "I've closed this chat as it went quiet. Write any time to continue.",
  },
  ru: {
    onTheWay: "Передаю вас коллеге: оператор скоро подключится.",
    greeting: "Здравствуйте, меня зовут {operator}. Я прочитал(а) переписку. Что случилось?",
    offlineAsk: "Сейчас операторы не в сети. Оставьте e-mail или телефон, и мы вам ответим.",
    offlineThanks: "Спасибо! Мы ответим на {contact}, как только вернёмся.",
    offlineAgain: "Это не похоже на e-mail или номер телефона. Проверьте, пожалуйста.",
    invalid: "Это не похоже на {field}. Проверьте, пожалуйста.",
    notHelped: "Жаль, что не помогло. Повторю ответ; если нужно другое, позову оператора.",
    person: "Позвать оператора",
    reminder: "Вы ещё здесь? Закрою чат через {minutes} мин, если больше ничего не нужно.",
    idleClosed: "Закрыл чат, так как он затих. Пишите в любое время, чтобы продолжить.",
  },
  uk: {
    onTheWay: "Передаю вас колезі: оператор скоро приєднається.",
    greeting: "Вітаю, мене звати {operator}. Я прочитав(ла) переписку. Що сталося?",
    offlineAsk: "Зараз оператори не в мережі. Залиште e-mail або телефон, і ми вам відповімо.",
    offlineThanks: "Дякуємо! Ми відповімо на {contact}, щойно повернемося.",
    offlineAgain: "Це не схоже на e-mail або номер телефону. Перевірте, будь ласка.",
    invalid: "Це не схоже на {field}. Перевірте, будь ласка.",
    notHelped: "Шкода, що не допомогло. Повторю відповідь; якщо потрібно інше, покличу оператора.",
    person: "Покликати оператора",
    reminder: "Ви ще тут? Закрию чат за {minutes} хв, якщо більше нічого не потрібно.",
    idleClosed: "Закрив чат, бо він затих. Пишіть будь-коли, щоб продовжити.",
  },
};

/** Every text a site may override, in the order the settings page lists them. */
export const BOT_TEXT_KEYS = ["onTheWay", "greeting", "offlineAsk", "offlineThanks", "offlineAgain", "invalid", "notHelped", "person", "reminder", "idleClosed"] as const satisfies readonly (keyof BotTexts)[];
