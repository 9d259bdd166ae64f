import { eq, sql } from "drizzle-orm";
import type { VisitorActor } from "../auth/actor";
import type { Db } from "../db/client";
import { conversations } from "../db/schema";

export type Rating = { resolved: boolean; rating: number; comment: string | null };

export type Rated = { ok: true; rating: Rating } | { ok: false; code: "not_closed" | "already_rated" | "not_found"; message: string };

/** The columns a conversation's rating is read from; null until rated. */
export const ratingColumns = { resolved: conversations.resolved, rating: conversations.rating, comment: conversations.ratingComment };

export function toRating(row: { resolved: boolean | null; rating: number | null; comment: string | null }): Rating | null {
  return row.rating === null ? null : { resolved: row.resolved ?? false, rating: row.rating, comment: row.comment };
}

/**
 * The customer's answer after a close (W11), once per conversation. One write
 * transaction: a conditional UPDATE, and the `rated` event only when it
 * changed the row, so two rating calls at once store one.
 */
export async function rateConversation(db: Db, visitor: VisitorActor, conversationId: string, input: Rating): Promise<Rated> {
  const at = Date.now();
  const comment = input.comment || null;
  const [, , check, [row]] = await db.batch([
    db.run(sql`UPDATE conversations SET resolved = ${input.resolved ? 1 : 0}, rating = ${input.rating}, rating_comment = ${comment}
      WHERE id = ${conversationId} AND visitor_id = ${visitor.id} AND status = 'closed' AND rating IS NULL`),
    db.run(sql`
      INSERT INTO events (workspace_id, conversation_id, type, actor_kind, actor_id, data, at)
      SELECT ${visitor.workspaceId}, ${conversationId}, 'rated', 'visitor', ${visitor.id},
             ${JSON.stringify({ resolved: input.resolved, rating: input.rating, comment: comment !== null })}, ${at}
      WHERE changes() = 1`),
    db.all<{ ok: number }>(sql`SELECT changes() AS ok`),
    db.select({ status: conversations.status, ...ratingColumns }).from(conversations).where(eq(conversations.id, conversationId)),
  ]);
  if (check[0]?.ok === 1) return { ok: true, rating: { resolved: input.resolved, rating: input.rating, comment } };
  if (!row) return { ok: false, code: "not_found", message: "no such conversation" };
  if (row.status !== "closed") return { ok: false, code: "not_closed", message: "a conversation is rated after it is closed" };
  return { ok: false, code: "already_rated", message: "this conversation is already rated" };
}
