// Schemas for the settings API (D12) and search (D10).
import * as v from "valibot";
import { Look, PrechatForm, WorkingHours } from "./site";

/**
 * An origin as a browser sends it: scheme, host and port, nothing else.
 * "https://Shop.example/" is accepted as "https://shop.example"; a path,
 * query, fragment or user name is refused rather than silently dropped.
 */
export const SiteOrigin = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(300),
  v.check((text) => originOf(text) !== null, "an allowed origin looks like https://shop.example (no path)"),
  v.transform((text) => originOf(text)!),
);

function originOf(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password || url.search || url.hash || url.pathname !== "/") return null;
  if (/[?#]$/.test(text)) return null;
  return url.origin;
}

/** A change to a site's settings; each field given replaces the stored one. */
export const SiteSettingsBody = v.pipe(
  v.object({
    name: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, "name is empty"), v.maxLength(100))),
    allowedOrigins: v.optional(v.pipe(v.array(SiteOrigin), v.maxLength(50, "at most 50 origins"))),
    look: v.optional(Look),
    workingHours: v.optional(WorkingHours),
    prechatForm: v.optional(PrechatForm),
    reopenMinutes: v.optional(
      v.pipe(v.number(), v.integer("reopenMinutes must be a whole number"), v.minValue(0), v.maxValue(60 * 24 * 30)),
    ),
    /** Refuse `Tandem('identify')` without a good hash of the id. */
    identityRequired: v.optional(v.boolean("identityRequired must be true or false")),
  }),
  v.check((body) => Object.values(body).some((value) => value !== undefined), "give at least one setting"),
);
export type SiteSettingsBody = v.InferOutput<typeof SiteSettingsBody>;

/** One site as the Sites tab shows it. */
export type SiteSettings = {
  id: string;
  name: string;
  publicKey: string;
  allowedOrigins: string[];
  look: Look;
  workingHours: WorkingHours;
  prechatForm: PrechatForm;
  reopenMinutes: number;
  /** Identify calls without a good hash are refused; the secret itself is read on its own (`/identity-secret`). */
  identityRequired: boolean;
  /** The script tag to paste into the site's pages. */
  embed: string;
};

/** A new identity secret for a site; with `signOutVerified`, everyone the old one verified is signed out too. */
export const RotateIdentitySecretBody = v.object({
  signOutVerified: v.optional(v.boolean("signOutVerified must be true or false"), false),
});

export const SearchQuery = v.object({
  q: v.pipe(v.string(), v.trim(), v.minLength(2, "type at least 2 characters"), v.maxLength(200, "at most 200 characters")),
});

/** One conversation found by search. */
export type SearchHit = {
  conversationId: string;
  /** The customer's name; null when they never gave one. */
  customer: string | null;
  email: string | null;
  /** The site vouched for the customer (identify with a hash), and the name or e-mail shown is what it gave. */
  verified: boolean;
  /** The text that matched, cut around the match. */
  snippet: string;
  /** What matched: a message, the customer's name or e-mail, or a tag. */
  field: "message" | "name" | "email" | "tag";
  status: "bot" | "queued" | "assigned" | "closed";
  lastActivityAt: number;
};
