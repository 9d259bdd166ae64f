/** A steady rate with room for a burst: `burst` at once, then `perSecond`. */
export type Rate = { burst: number; perSecond: number };

type Bucket = { tokens: number; at: number };

/**
 * Token buckets by key, in memory: a room's senders, a limiter's addresses.
 * `take` answers 0 when the key may go on now (and spends `cost`), else how
 * many milliseconds until it may. A full bucket is forgotten, so the map
 * only holds keys that spent something lately.
 */
export function createBuckets(rate: Rate, clock: () => number = Date.now) {
  const buckets = new Map<string, Bucket>();
  let sweptAt = clock();

  function level(key: string, now: number): number {
    const bucket = buckets.get(key);
    if (!bucket) return rate.burst;
    return Math.min(rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * rate.perSecond);
  }

  // Now and then, not on every take: a key's bucket is full again once it has been quiet long enough.
  function sweep(now: number) {
    if (now - sweptAt < 60_000) return;
    sweptAt = now;
    for (const key of buckets.keys()) if (level(key, now) >= rate.burst) buckets.delete(key);
  }

  return {
    /** Spends `cost` of `key`'s tokens and answers 0, or answers the wait in ms and spends nothing. */
    take(key: string, cost = 1): number {
      const now = clock();
      sweep(now);
      const tokens = level(key, now);
      // A cost above the burst can never be paid whole: it goes when the bucket is full, and leaves it in debt.
      const needed = Math.min(cost, rate.burst);
      // (Less a hair for floating point: 0.002 tokens at 2/s is 1 ms, not 1.0000000000000009.)
      if (tokens < needed) return Math.max(1, Math.ceil(((needed - tokens) / rate.perSecond) * 1000 - 1e-6));
      buckets.set(key, { tokens: tokens - cost, at: now });
      return 0;
    },
    /** Spends `cost` whatever is left, into debt if need be: for a cost known only after the work (a replay). */
    spend(key: string, cost: number): void {
      const now = clock();
      buckets.set(key, { tokens: level(key, now) - cost, at: now });
    },
    /** Keys held now (tests, and to see that the map does not grow without end). */
    get size() {
      return buckets.size;
    },
  };
}
