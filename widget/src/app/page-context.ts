import type { PageContext } from "@tandem/protocol";
import type { Visit } from "./chat";

// What the operator learns of where the customer is. This lives in the
// conversation's chunk: nothing of it is needed until there is a conversation.

// Query parameters that may carry a secret never leave the page.
const SECRET = /token|pass|pwd|secret|key|session|sid|auth|code|sig|jwt|otp|nonce/i;

/**
 * An address without what may be a secret: query parameters with such names,
 * a user and password, and a fragment that carries values (`#access_token=…`,
 * `#/reset?token=…`). A plain fragment (`#delivery`, `#/orders/42`) stays.
 */
function clean(href: string): string {
  try {
    const url = new URL(href);
    for (const name of [...url.searchParams.keys()]) if (SECRET.test(name)) url.searchParams.delete(name);
    url.username = url.password = "";
    if (/[=&]/.test(url.hash) || SECRET.test(url.hash)) url.hash = "";
    return url.href.slice(0, 2048);
  } catch {
    return "";
  }
}

/** A page of the trail as it may leave the browser. */
export const visited = ({ url, title, at }: Visit) => ({ url: clean(url), title: String(title).slice(0, 512), at });

/**
 * The new conversation's context: the page (address, title, referrer, UTM
 * tags, language, time zone, screen), what the host page set with
 * `Tandem('setContext', …)` as short strings, and the navigation trail.
 */
export function conversationBody(custom: Record<string, unknown>, topic: string | undefined, trail: Visit[]) {
  const url = new URL(location.href);
  const utm: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (key.startsWith("utm_")) utm[key.slice(4, 36)] = value.slice(0, 256);
  const set = Object.entries(custom)
    .filter(([, value]) => value != null)
    .slice(0, 30)
    .map(([key, value]) => [key.slice(0, 64), String(value).slice(0, 512)]);
  const context: PageContext = {
    url: clean(location.href),
    title: document.title.slice(0, 512),
    referrer: clean(document.referrer),
    language: (document.documentElement.lang || navigator.language).slice(0, 35),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone?.slice(0, 64),
    screen: `${screen.width}x${screen.height}`,
  };
  if (Object.keys(utm).length) context.utm = Object.fromEntries(Object.entries(utm).slice(0, 10));
  if (set.length) context.custom = Object.fromEntries(set);
  return { context, topic, trail: trail.slice(-50).map(visited) };
}
