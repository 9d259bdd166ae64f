import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/**
 * Raises one side's read mark to `seq`, never above the conversation's last
 * seq and never down. Returns the new mark, or null when it did not rise.
 */
export async function raiseReadMark(db: Db, conversationId: string, by: "visitor" | "operator", seq: number) {
  const column = sql.identifier(by === "visitor" ? "visitor_read_seq" : "operator_read_seq");
  const rows = await db.all<{ mark: number }>(sql`
    UPDATE conversations SET ${column} = MIN(${seq}, last_seq)
    WHERE id = ${conversationId} AND ${column} < MIN(${seq}, last_seq)
    RETURNING ${column} AS mark`);
  return rows[0]?.mark ?? null;
}
