import type { Lang } from "./matcher";

// Moved to the protocol so the dashboard can show them as the defaults.
export { DEFAULT_TEXTS, type BotTexts } from "@tandem/protocol";

/** Field names as the bot says them. */
export const FIELD_NAMES: Record<Lang, Record<"name" | "email" | "phone" | "order", string>> = {
  en: { name: "name", email: "e-mail", phone: "phone number", order: "order number" },
  ru: { name: "имя", email: "e-mail", phone: "номер телефона", order: "номер заказа" },
  uk: { name: "ім'я", email: "e-mail", phone: "номер телефону", order: "номер замовлення" },
};

/** Default prompts for a field an intent collects without its own prompt. */
export const FIELD_PROMPTS: Record<Lang, Record<"name" | "email" | "phone" | "order", string>> = {
  en: { name: "What's your name?", email: "What's your e-mail?", phone: "What's your phone number?", order: "What's your order number?" },
  ru: { name: "Как вас зовут?", email: "Ваш e-mail?", phone: "Ваш номер телефона?", order: "Какой у вас номер заказа?" },
  uk: { name: "Як вас звати?", email: "Ваш e-mail?", phone: "Ваш номер телефону?", order: "Який у вас номер замовлення?" },
};

/** `{name}` → value; unknown names stay as written. */
export function fill(text: string, values: Record<string, string | null | undefined>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
