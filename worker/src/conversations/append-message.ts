import { newId, type Message, type MessageButton } from "@tandem/protocol";
import type { ResultSet } from "@libsql/client";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { messages } from "../db/schema";
import { toMessage } from "./messages";

export type NewMessage = {
  conversationId: string;
  workspaceId: string;
  clientMsgId: string;
  authorKind: "visitor" | "bot" | "operator" | "system";
  authorId: string | null;
  authorName?: string | null;
  body: string;
  kind?: "text" | "system";
  event?: string;
  /** Quick replies under a bot message. */
  buttons?: MessageButton[];
};

const PREVIEW_LENGTH = 140;

/**
 * Stores a message with the conversation's next seq, in one write transaction
 * (one round trip to libSQL). A clientMsgId seen before is not stored again:
 * the original message comes back with `duplicate: true`.
 *
 * Callers must serialize appends per conversation (the Conversation room
 * does): seq is computed inside the transaction, and the unique indexes on
 * (conversation_id, seq) and (conversation_id, client_msg_id) refuse anything
 * that slips past.
 */
export async function appendMessage(
  db: Db,
  input: NewMessage,
): Promise<{ message: Message; duplicate: boolean; firstReply: boolean }> {
  const id = newId();
  const at = Date.now();
  const kind = input.kind ?? "text";
  const meta = JSON.stringify({
    ...(input.authorName ? { name: input.authorName } : {}),
    ...(input.event ? { event: input.event } : {}),
    ...(input.buttons?.length ? { buttons: input.buttons } : {}),
  });
  const conversationId = input.conversationId;
  const isNew = sql`EXISTS (SELECT 1 FROM messages WHERE id = ${id})`;
  // The inbox shows the customer's and the operators' last words, not the bot's.
  const preview = kind === "text" && input.authorKind !== "bot" ? input.body.slice(0, PREVIEW_LENGTH) : null;

  const statements = [
    db.run(sql`
      INSERT INTO messages (id, conversation_id, seq, client_msg_id, author_kind, author_id, body, kind, meta, created_at)
      SELECT ${id}, ${conversationId},
             COALESCE((SELECT MAX(seq) FROM messages WHERE conversation_id = ${conversationId}), 0) + 1,
             ${input.clientMsgId}, ${input.authorKind}, ${input.authorId}, ${input.body}, ${kind}, ${meta}, ${at}
      WHERE NOT EXISTS (
        SELECT 1 FROM messages WHERE conversation_id = ${conversationId} AND client_msg_id = ${input.clientMsgId}
      )`),
    db.run(sql`
      UPDATE conversations
      SET last_seq = (SELECT MAX(seq) FROM messages WHERE conversation_id = ${conversationId}),
          last_message_at = ${at},
          preview = COALESCE(${preview}, preview)
      WHERE id = ${conversationId} AND ${isNew}`),
  ];
  const byOperator = input.authorKind === "operator";
  if (byOperator) {
    // The first human answer is a milestone analytics reads (first response time).
    statements.push(
      db.run(sql`
        UPDATE conversations SET first_human_reply_at = ${at}
        WHERE id = ${conversationId} AND first_human_reply_at IS NULL AND ${isNew}`),
      db.run(sql`
        INSERT INTO events (workspace_id, conversation_id, type, actor_kind, actor_id, data, at)
        SELECT ${input.workspaceId}, ${conversationId}, 'first_reply', 'operator', ${input.authorId}, '{}', ${at}
        WHERE ${isNew} AND NOT EXISTS (
          SELECT 1 FROM events WHERE conversation_id = ${conversationId} AND type = 'first_reply'
        )`),
      // 1 when the event row above went in: this message is the first human answer.
      db.run(sql`SELECT changes() AS first`),
    );
  }
  const stored = db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.clientMsgId, input.clientMsgId)));

  const results = await db.batch([statements[0], ...statements.slice(1), stored]);
  const [row] = results.at(-1) as (typeof messages.$inferSelect)[];
  if (!row) throw new Error(`message ${input.clientMsgId} was neither stored nor found`);
  const firstReply = byOperator && (results.at(-2) as ResultSet).rows[0]?.first === 1;
  return { message: toMessage(row), duplicate: row.id !== id, firstReply };
}
