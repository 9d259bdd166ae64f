import { similar } from "../bot/matcher";

/**
 * How alike two questions must be (`similar()`, 0..1) to share a group.
 * Measured on the demo evaluation set's 217 questions: at 0.55, 8 of the
 * ~20,000 pairs about different things come together (0.04%) while the same
 * question in Russian and Ukrainian ("можно купить оптом" / "можна купити
 * оптом"), with typos or reworded slightly still does; at 0.5 "do you sell
 * gift cards" and "do you sell bicycles" would share a group. A group that
 * mixes two topics costs more than two groups of one: "add all" would
 * file one of them under the wrong intent.
 */
export const GROUP_THRESHOLD = 0.55;

/**
 * Greedy grouping, in the order given (newest first): each question joins
 * the first group whose lead (its first question) it resembles, else starts
 * its own. Comparing with the lead only keeps a group from drifting.
 */
export function groupByText<T extends { text: string }>(items: T[], threshold = GROUP_THRESHOLD): T[][] {
  const groups: T[][] = [];
  // A text seen before goes where it went then, without comparing: customers repeat each other word for word.
  const seen = new Map<string, T[]>();
  for (const item of items) {
    const key = item.text.trim().toLowerCase();
    const home = seen.get(key) ?? groups.find((g) => similar(g[0].text, item.text) >= threshold);
    if (home) home.push(item);
    else groups.push([item]);
    seen.set(key, home ?? groups[groups.length - 1]);
  }
  return groups;
}
