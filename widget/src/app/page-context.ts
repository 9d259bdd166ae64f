import type { PageContext } from "@tandem/protocol";

const UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

/** Where the customer is, sent with a new conversation so no operator has to ask. */
export function pageContext(): PageContext {
  const url = new URL(location.href);
  const utm: Record<string, string> = {};
  for (const key of UTM) {
    const value = url.searchParams.get(key);
    if (value) utm[key.slice(4)] = value.slice(0, 256);
  }
  return {
    url: location.href.slice(0, 2048),
    title: document.title.slice(0, 512),
    referrer: document.referrer.slice(0, 2048),
    language: (document.documentElement.lang || navigator.language).slice(0, 35),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone?.slice(0, 64),
    screen: `${screen.width}x${screen.height}`,
    ...(Object.keys(utm).length ? { utm } : {}),
  };
}
