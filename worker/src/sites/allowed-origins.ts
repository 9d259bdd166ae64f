/**
 * A site's allowed origins (S3). An empty list allows any origin: a new site
 * works at once, and its owner narrows it down in the site's settings. A
 * request without an Origin header (not from a browser page) is not refused
 * here; the visitor token or the site key still says who may do what.
 */
export function readAllowedOrigins(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  // An entry that is not an origin is kept as it is: it matches nothing, so a
  // list of typos refuses every origin rather than allowing all of them.
  return stored.filter((entry) => typeof entry === "string").map(normalizeOrigin);
}

/** "https://Shop.example/" and "https://shop.example" are the same origin. */
function normalizeOrigin(entry: string): string {
  try {
    const origin = new URL(entry).origin;
    return origin === "null" ? entry : origin;
  } catch {
    return entry;
  }
}

/** Why this origin may not use the site, or null when it may. */
export function refuseOrigin(allowed: string[], origin: string | null | undefined): string | null {
  if (!origin || allowed.length === 0 || allowed.includes(origin)) return null;
  return `${origin} is not an allowed origin for this site; add it in the site's settings`;
}
