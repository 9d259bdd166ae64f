import { equalBytes, fromBase64Url, toBase64Url } from "./crypto";

// workerd refuses PBKDF2 above 100,000 iterations.
const ITERATIONS = 100_000;
const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** PBKDF2-SHA256 with a random per-user salt, as `pbkdf2-sha256$iterations$salt$hash`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2-sha256$${ITERATIONS}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split("$");
  const saltBytes = fromBase64Url(salt ?? "");
  const hashBytes = fromBase64Url(hash ?? "");
  const rounds = Number(iterations);
  if (scheme !== "pbkdf2-sha256" || !saltBytes || !hashBytes || !(rounds > 0 && rounds <= ITERATIONS)) return false;
  return equalBytes(await derive(password, saltBytes, rounds), hashBytes);
}

/** Spends the time of a real check, so a missing account answers as slowly as a wrong password. */
export const DUMMY_PASSWORD_HASH = `pbkdf2-sha256$${ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
