// Deterministic randomness for the analytics seed: the same seed and end
// give the same year of conversations, so two runs of the bench measure the
// same data.

/** A small, fast 32-bit generator (mulberry32): uniform floats in [0, 1). */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random = {
    next,
    /** True with probability p. */
    chance: (p: number) => next() < p,
    /** An integer in [min, max], both included. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    /** A float in [min, max). */
    between: (min: number, max: number) => min + next() * (max - min),
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)];
    },
    /** An index of `weights`, each as likely as its weight. */
    weighted(weights: readonly number[]): number {
      let total = 0;
      for (const w of weights) total += w;
      let x = next() * total;
      for (let i = 0; i < weights.length; i++) {
        x -= weights[i];
        if (x < 0) return i;
      }
      return weights.length - 1;
    },
    /** A standard normal draw (Box–Muller). */
    normal() {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    /**
     * A log-normal duration around `median` ms; `spread` is σ of its log.
     * Waits and replies look like this: most short, a long tail.
     */
    duration(median: number, spread: number, min = 1000) {
      return Math.max(min, Math.round(median * Math.exp(spread * random.normal())));
    },
  };
  return random;
}

export type Random = ReturnType<typeof createRandom>;

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * ULIDs like the product's (48 bits of time, 80 random bits), with the
 * random part from its own generator: the ids of one seed differ from
 * workspace to workspace (several seeds can share one database) while the
 * story, drawn from the other generator, stays the same.
 */
export function createIds(seed: number) {
  const random = createRandom(seed);
  return (at: number) => {
    let out = "";
    for (let t = Math.floor(at), i = 0; i < 10; i++, t = Math.floor(t / 32)) out = ALPHABET[t % 32] + out;
    for (let i = 0; i < 16; i++) out += ALPHABET[Math.floor(random.next() * 32)];
    return out;
  };
}

/** A 32-bit hash of a string (FNV-1a), to seed from an id. */
export function hash32(text: string) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
