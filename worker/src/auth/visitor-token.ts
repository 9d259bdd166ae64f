import { equalBytes, fromBase64Url, hmacSha256, toBase64Url } from "./crypto";
import type { VisitorActor } from "./actor";

type Payload = { v: string; w: string; s: string; c: string; iat: number };

/**
 * How long a visitor token is good after it was signed. The widget gets a
 * fresh one every time it starts a session (each page load that shows the
 * chat), so only a browser that stays away this long starts over; a copy
 * taken from localStorage stops working at the latest this long after.
 */
export const VISITOR_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `payload.signature`, both base64url; the payload names the visitor, their site and workspace, and when it was signed. */
export async function signVisitorToken(secret: string, visitor: Omit<VisitorActor, "kind">, now = Date.now()): Promise<string> {
  const payload: Payload = { v: visitor.id, w: visitor.workspaceId, s: visitor.siteId, c: visitor.contactId, iat: now };
  const body = toBase64Url(encoder.encode(JSON.stringify(payload)));
  return `${body}.${toBase64Url(await hmacSha256(secret, body))}`;
}

/** The visitor a token names, or null when it is forged, malformed or expired (signed more than the TTL before `now`). */
export async function verifyVisitorToken(secret: string, token: string, now = Date.now()): Promise<VisitorActor | null> {
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) return null;
  const given = fromBase64Url(signature);
  if (!given || !equalBytes(given, await hmacSha256(secret, body))) return null;
  try {
    const bytes = fromBase64Url(body);
    const p = bytes && (JSON.parse(decoder.decode(bytes)) as Payload);
    if (!p || typeof p.v !== "string" || typeof p.w !== "string" || typeof p.s !== "string" || typeof p.c !== "string") {
      return null;
    }
    if (typeof p.iat !== "number" || !(now - p.iat < VISITOR_TOKEN_TTL_MS)) return null;
    return { kind: "visitor", id: p.v, workspaceId: p.w, siteId: p.s, contactId: p.c };
  } catch {
    return null;
  }
}
