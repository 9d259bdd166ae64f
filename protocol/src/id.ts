// Crockford base32: sortable as plain strings, no ambiguous letters.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

let lastTime = 0;
let lastRandom = new Uint8Array(10);

/**
 * A ULID: 48 bits of milliseconds then 80 random bits, 26 characters.
 * Ids made in the same millisecond by one process stay in creation order.
 */
export function newId(now = Date.now()): string {
  if (now === lastTime) {
    for (let i = 9; i >= 0 && ++lastRandom[i] === 256; i--) lastRandom[i] = 0;
  } else {
    lastTime = now;
    lastRandom = crypto.getRandomValues(new Uint8Array(10));
  }
  let out = "";
  for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) {
    out = ALPHABET[t % 32] + out;
  }
  let bits = 0;
  let value = 0;
  for (const byte of lastRandom) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(value >> bits) & 31];
    }
  }
  return out;
}
