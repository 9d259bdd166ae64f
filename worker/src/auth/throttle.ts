import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { loginThrottle } from "../db/schema";

const WINDOW_MS = 15 * 60 * 1000;
const LOCK_MS = 15 * 60 * 1000;
/** Failures within the window before a key is locked: an e-mail is one person; an address may be an office. */
const LIMITS = { email: 5, ip: 20 } as const;

export type ThrottleKeys = { email: string; ip: string | null };

const keysOf = (keys: ThrottleKeys) => [
  { key: `email:${keys.email}`, limit: LIMITS.email },
  ...(keys.ip ? [{ key: `ip:${keys.ip}`, limit: LIMITS.ip }] : []),
];

/** Milliseconds until the e-mail or the address may try again, or 0 when neither is locked. */
export async function lockedFor(db: Db, keys: ThrottleKeys, now = Date.now()): Promise<number> {
  const rows = await db
    .select({ lockedUntil: loginThrottle.lockedUntil })
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, keysOf(keys).map((k) => k.key)));
  return Math.max(0, ...rows.map((r) => (r.lockedUntil ?? 0) - now));
}

/**
 * Counts one failed sign-in against each key, in one statement per key so two
 * tries at once both count. A window older than 15 minutes starts over; the
 * failure that reaches the limit locks the key for 15 minutes.
 */
export async function recordFailure(db: Db, keys: ThrottleKeys, now = Date.now()) {
  const stale = now - WINDOW_MS;
  await db.batch(
    keysOf(keys).map(({ key, limit }) => {
      const count = sql`case when ${loginThrottle.windowStart} <= ${stale} then 1 else ${loginThrottle.failures} + 1 end`;
      return db
        .insert(loginThrottle)
        .values({ key, failures: 1, windowStart: now, lockedUntil: limit <= 1 ? now + LOCK_MS : null })
        .onConflictDoUpdate({
          target: loginThrottle.key,
          set: {
            failures: count,
            windowStart: sql`case when ${loginThrottle.windowStart} <= ${stale} then ${now} else ${loginThrottle.windowStart} end`,
            lockedUntil: sql`case when ${count} >= ${limit} then ${now + LOCK_MS} else ${loginThrottle.lockedUntil} end`,
          },
        });
    }) as [never],
  );
}

/** A good sign-in forgets the e-mail's failures; the address keeps its count (one success must not unlock guessing). */
export async function clearFailures(db: Db, email: string) {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, `email:${email}`));
}
