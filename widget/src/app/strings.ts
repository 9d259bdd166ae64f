// Every word the widget shows. English ships in app.js; Russian and Ukrainian
// are chunks of the same shape, fetched only by a customer who needs them.
// Phrases with a number or a name are functions, so each language can place
// and inflect them its own way.
const en = {
  greeting: "Hi! How can we help you today?",
  placeholder: "Write a message…",
  send: "Send",
  endChat: "End chat",
  closePanel: "Close chat",
  team: "Support",
  connecting: "Connecting…",
  offline: "You're offline. We'll send your messages when you're back.",
  waiting: "An operator is on the way",
  inLine: (position: number) => `An operator is on the way · you're #${position} in line`,
  here: (name: string) => `${name} is here`,
  replyTime: "We usually reply in a few minutes",
  away: "We're away now. Leave your e-mail and we'll write back.",
  ended: "Conversation ended",
  unavailable: "The chat is unavailable. Please reload the page.",
  typing: (name: string) => `${name} is typing…`,
  sending: "Sending…",
  // Put off by the server (too many at once, or busy): it goes again by itself.
  held: "Too many at once — sending in a moment…",
  notSent: "Not sent.",
  edit: "Edit",
  remove: "Remove",
  earlier: "Earlier messages",
  delivered: "Delivered",
  read: "Read",
  joined: (name: string) => `${name} joined the conversation`,
  talkToHuman: "Talk to a person",
  newMessages: (count: number) => `(${count}) New message${count > 1 ? "s" : ""}`,
  // The pre-chat form, the offline request, the rating.
  name: "How should we address you?",
  email: "E-mail",
  phone: "Phone",
  topic: "Topic",
  resolvedQuestion: "Was your question resolved?",
  yes: "Yes",
  no: "No",
  stars: (count: number) => `${count} of 5 stars`,
  comment: "What went wrong? Tell us, please.",
  thanks: "Thank you for your feedback!",
};

export type Strings = typeof en;
export type Language = "en" | "ru" | "uk";

/** The words in use; `useLanguage` swaps them in place. */
export const strings: Strings = { ...en };

/** The site's setting, then the page's `lang`, then the browser's languages; English when none is ours. */
export function pickLanguage(site?: string | null): Language {
  for (const tag of [site, document.documentElement.lang, ...navigator.languages]) {
    const lang = tag?.slice(0, 2).toLowerCase();
    if (lang === "en" || lang === "ru" || lang === "uk") return lang;
  }
  return "en";
}

let current: Language = "en";

/** Fetches a language's chunk (once) and makes it the one in use. */
export async function useLanguage(lang: Language): Promise<void> {
  if (lang === current) return;
  const words = lang === "en" ? en : (await (lang === "ru" ? import("./locales/ru") : import("./locales/uk"))).default;
  Object.assign(strings, words);
  current = lang;
}
