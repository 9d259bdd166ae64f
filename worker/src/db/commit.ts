import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client";

/**
 * Statements that belong together, and how to read what they answered.
 * Steps of different concerns (a message, the bot's state, a transition)
 * commit together with `commit`: one write request, one transaction.
 */
export type Step<T> = { statements: BatchItem<"sqlite">[]; read: (results: unknown[]) => T };

type Outcomes<T extends readonly Step<unknown>[]> = { [K in keyof T]: T[K] extends Step<infer R> ? R : never };

/**
 * Runs the steps' statements in order as one batch — one round trip, one
 * write transaction (libSQL has one writer: DESIGN's write budget counts
 * these) — and gives each step its own slice of the results.
 */
export async function commit<T extends readonly Step<unknown>[]>(db: Db, ...steps: T): Promise<Outcomes<T>> {
  const statements = steps.flatMap((step) => step.statements);
  if (statements.length === 0) return steps.map((step) => step.read([])) as Outcomes<T>;
  const results = (await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as unknown[];
  let from = 0;
  return steps.map((step) => {
    const mine = results.slice(from, from + step.statements.length);
    from += step.statements.length;
    return step.read(mine);
  }) as Outcomes<T>;
}
