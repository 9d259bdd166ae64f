import { equalBytes, fromBase64Url, hmacSha256, toBase64Url } from "./crypto";
import type { VisitorActor } from "./actor";

type Payload = { v: string; w: string; s: string; c: string; iat: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `payload.signature`, both base64url; the payload names the visitor, their site and workspace. */
export async function signVisitorToken(secret: string, visitor: Omit<VisitorActor, "kind">): Promise<string> {
  const payload: Payload = { v: visitor.id, w: visitor.workspaceId, s: visitor.siteId, c: visitor.contactId, iat: Date.now() };
  const body = toBase64Url(encoder.encode(JSON.stringify(payload)));
  return `${body}.${toBase64Url(await hmacSha256(secret, body))}`;
}

export async function verifyVisitorToken(secret: string, token: string): Promise<VisitorActor | null> {
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
    return { kind: "visitor", id: p.v, workspaceId: p.w, siteId: p.s, contactId: p.c };
  } catch {
    return null;
  }
}
