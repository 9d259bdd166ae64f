import { distance } from "fastest-levenshtein";

/**
 * Finds vocabulary stems near a misspelt one without comparing against the
 * whole vocabulary: a symmetric-delete index (every stem with one letter left
 * out) finds candidates within two edits, Levenshtein confirms them; a shared
 * long prefix catches other forms of the same root ("повернення"/"повернути").
 */
export class Fuzzy {
  private deletes = new Map<string, string[]>();
  private prefixes = new Map<string, string[]>();

  /**
   * `deep`: also index long stems with two letters left out, which finds every
   * stem within two edits (two letters changed: "самовывоз"/"самовивіз"), not
   * only most — for a small vocabulary, where the larger index costs little.
   */
  constructor(vocabulary: Iterable<string>, private readonly deep = false) {
    for (const term of vocabulary) {
      if (term.length >= 4) for (const d of this.variants(term)) push(this.deletes, d, term);
      if (term.length >= PREFIX) push(this.prefixes, term.slice(0, PREFIX), term);
    }
  }

  /** Vocabulary stems close to `term`, with a similarity in 0..1 (exact matches are not looked up here). */
  near(term: string): Map<string, number> {
    const found = new Map<string, number>();
    if (term.length >= 4) {
      const maxEdits = term.length >= 7 ? 2 : 1;
      const seen = new Set<string>();
      for (const d of this.variants(term)) {
        for (const candidate of this.deletes.get(d) ?? []) {
          if (candidate === term || seen.has(candidate)) continue;
          seen.add(candidate);
          const edits = distance(term, candidate);
          if (edits <= maxEdits) found.set(candidate, edits === 1 && Math.min(term.length, candidate.length) > 5 ? 0.85 : 0.7);
        }
      }
    }
    if (term.length >= PREFIX) {
      for (const candidate of this.prefixes.get(term.slice(0, PREFIX)) ?? []) {
        if (candidate === term) continue;
        const shared = commonPrefix(term, candidate);
        // Same root, different suffix the stemmer left on: most of the shorter word is shared.
        if (shared >= Math.min(term.length, candidate.length) - 2) {
          found.set(candidate, Math.max(found.get(candidate) ?? 0, 0.75));
        }
      }
    }
    return found;
  }

  private variants(term: string) {
    const once = deletions(term);
    if (!this.deep || term.length < 7) return [term, ...once];
    return [term, ...new Set([...once, ...once.flatMap(deletions)])];
  }
}

const PREFIX = 5;

function deletions(term: string) {
  const out: string[] = [];
  for (let i = 0; i < term.length; i++) out.push(term.slice(0, i) + term.slice(i + 1));
  return out;
}

function push(map: Map<string, string[]>, key: string, value: string) {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

function commonPrefix(a: string, b: string) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Similarity of two stems without a vocabulary: 1 equal, less for typos and shared roots, 0 otherwise. */
export function stemSimilarity(a: string, b: string) {
  if (a === b) return 1;
  const short = Math.min(a.length, b.length);
  if (short >= 4 && Math.abs(a.length - b.length) <= 2) {
    const edits = distance(a, b);
    if (edits === 1) return 0.85;
    if (edits === 2 && short >= 7) return 0.7;
  }
  if (short >= PREFIX && commonPrefix(a, b) >= Math.max(PREFIX, short - 2)) return 0.75;
  return 0;
}
