import type { MiddlewareHandler } from "hono";

const policy = (directives: Record<string, string>) =>
  Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join("; ");

/** What every page and answer of ours says: never framed, never sniffed, no referrer to other sites. */
const COMMON = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  // Browsers ignore it over plain http, so the local stack is not pinned to https.
  "Strict-Transport-Security": "max-age=31536000",
} as const;

/**
 * The dashboard's pages (static assets, sent through the `_headers` file
 * scripts/build.ts writes): its own scripts and styles only, sockets and
 * fetches to its own origin, nothing may frame it (clickjacking).
 */
export const DASHBOARD_HEADERS: Record<string, string> = {
  ...COMMON,
  "Content-Security-Policy": policy({
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    // The page's empty icon is a data: URL.
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
  }),
  "Cross-Origin-Opener-Policy": "same-origin",
};

/** The API's answers are data, never documents: nothing runs from them and nothing frames them. */
export const API_HEADERS: Record<string, string> = {
  ...COMMON,
  "Content-Security-Policy": policy({ "default-src": "'none'", "frame-ancestors": "'none'" }),
};

/** Sets API_HEADERS on every answer of the API, errors included. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(API_HEADERS)) c.res.headers.set(name, value);
  };
}
