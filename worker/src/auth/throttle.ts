import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { loginThrottle } from "../db/schema";
import { LOCAL_ADDRESS } from "../http/client-address";

/** Failures are forgotten a day after the first one of a run. */
const WINDOW_MS = 24 * 60 * 60 * 1000;
/** The first lock lasts a minute, each further failure doubles it, up to an hour. */
const FIRST_LOCK_MS = 60 * 1000;
const LONGEST_LOCK_MS = 60 * 60 * 1000;
/**
 * Failures before a key locks. The e-mail is counted together with the
 * address it is tried from, so a stranger elsewhere cannot lock the owner
 * out; the address alone, across e-mails, catches one address spraying many
 * accounts (higher: an address may be an office).
 */
const LIMITS = { pair: 5, address: 20 } as const;

export type ThrottleKeys = { email: string; address: string };

type Counted = { kind: keyof typeof LIMITS; key: string; limit: number };
/** An attempt let through: what it counted, so a good password can take it back. */
export type Attempt = { at: number; counted: (Counted & { failures: number })[] };

// A valid e-mail has no "|", so the pair key cannot be read two ways. Locally every
// client is one LOCAL_ADDRESS, which would make all operators one office: no address key.
const keysOf = ({ email, address }: ThrottleKeys): Counted[] => [
  { kind: "pair", key: `pair:${email}|${address}`, limit: LIMITS.pair },
  ...(address === LOCAL_ADDRESS ? [] : [{ kind: "address" as const, key: `address:${address}`, limit: LIMITS.address }]),
];

const lockAfter = (failures: number, limit: number) =>
  failures < limit ? null : Math.min(LONGEST_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(failures - limit, 20));

/**
 * Counts a sign-in attempt as a failure *before* the password is checked, so
 * a burst of parallel guesses is held to the limit like guesses in a row;
 * the caller takes it back with `forgiveAttempt` when the password was right.
 * A key that is locked is not counted again: its lock runs out on time.
 * Refused attempts count nothing and answer how long to wait.
 */
export async function startAttempt(db: Db, keys: ThrottleKeys, now = Date.now()): Promise<{ attempt: Attempt } | { retryAfterMs: number }> {
  const [first, ...others] = keysOf(keys);
  const all = [first, ...others];
  // Writes first: a transaction that read before it writes cannot wait for the lock, and
  // sqld answers SQLITE_BUSY to all but one of a burst.
  const results = await db.batch([
    countAttempt(db, first, now),
    ...others.map((k) => countAttempt(db, k, now)),
    db.select({ key: loginThrottle.key, lockedUntil: loginThrottle.lockedUntil }).from(loginThrottle).where(inArray(loginThrottle.key, all.map((k) => k.key))),
  ]);
  const locks = results[all.length] as { key: string; lockedUntil: number | null }[];
  const counted = all.flatMap((k, i) => {
    const [row] = results[i] as { failures: number }[];
    return row ? [{ ...k, failures: row.failures }] : [];
  });
  const attempt = { at: now, counted };
  if (counted.length === all.length) return { attempt };
  // One key was locked: what the other counted for this attempt is taken back.
  await takeBack(db, attempt);
  const refusedBy = locks.filter((r) => !counted.some((k) => k.key === r.key));
  return { retryAfterMs: Math.max(1000, ...refusedBy.map((r) => (r.lockedUntil ?? 0) - now)) };
}

/** One more failure on the key, unless it is locked: then nothing changes and no row comes back. */
function countAttempt(db: Db, { key, limit }: Counted, now: number) {
  const stale = now - WINDOW_MS;
  const failures = sql`case when ${loginThrottle.windowStart} <= ${stale} then 1 else ${loginThrottle.failures} + 1 end`;
  // SQLite's << doubles the first lock; the shift is capped long before it could overflow.
  const lock = sql`case when ${failures} >= ${limit} then ${now} + min(${LONGEST_LOCK_MS}, ${FIRST_LOCK_MS} << min(${failures} - ${limit}, 20)) end`;
  return db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStart: now, lockedUntil: limit <= 1 ? now + FIRST_LOCK_MS : null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures,
        windowStart: sql`case when ${loginThrottle.windowStart} <= ${stale} then ${now} else ${loginThrottle.windowStart} end`,
        lockedUntil: lock,
      },
      // Decided in the same statement that counts, so two attempts at once cannot both slip past a lock.
      setWhere: sql`${loginThrottle.lockedUntil} is null or ${loginThrottle.lockedUntil} <= ${now}`,
    })
    .returning({ failures: loginThrottle.failures });
}

/** The password was right: the e-mail's failures from this address are forgotten; the address keeps its others. */
export async function forgiveAttempt(db: Db, attempt: Attempt) {
  const pair = attempt.counted.find((k) => k.kind === "pair");
  if (pair) await db.delete(loginThrottle).where(eq(loginThrottle.key, pair.key));
  await takeBack(db, { ...attempt, counted: attempt.counted.filter((k) => k.kind === "address") });
}

/** Undoes what an attempt counted, and the lock it set, if no other attempt has set one since. */
async function takeBack(db: Db, attempt: Attempt) {
  if (!attempt.counted.length) return;
  await db.batch(
    attempt.counted.map(({ key, limit, failures }) => {
      const ownLock = lockAfter(failures, limit);
      return db
        .update(loginThrottle)
        .set({
          failures: sql`max(0, ${loginThrottle.failures} - 1)`,
          lockedUntil: ownLock === null ? loginThrottle.lockedUntil : sql`case when ${loginThrottle.lockedUntil} = ${attempt.at + ownLock} then null else ${loginThrottle.lockedUntil} end`,
        })
        .where(eq(loginThrottle.key, key));
    }) as [never],
  );
}
