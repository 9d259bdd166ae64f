import { newId, type Message, type MessageButton } from "@tandem/protocol";
import type { ResultSet } from "@libsql/client";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { commit, type Step } from "../db/commit";
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

/** Read marks the room holds that are not stored yet: they go with the next write (W9). */
export type PendingMarks = { visitor?: number; operator?: number };

/**
 * The statements that store a message with the conversation's next seq; a
 * step of a batch (see `commit`), so what the message causes can commit in
 * the same write request. A clientMsgId seen before is not stored again:
 * the original message comes back with `duplicate: true`.
 *
 * Callers must serialize appends per conversation (the Conversation room
 * does): seq is computed inside the transaction, and the unique indexes on
 * (conversation_id, seq) and (conversation_id, client_msg_id) refuse anything
 * that slips past. `sentiment` (a customer's message, A5) and `marks` ride
 * along.
 */
export function appendStep(
  db: Db,
  input: NewMessage & { sentiment?: { score: number; words: string[] }; marks?: PendingMarks },
): Step<{ message: Message; duplicate: boolean; firstReply: boolean }> {
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

  const statements: BatchItem<"sqlite">[] = [
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
          preview = COALESCE(${preview}, preview),
          bot_messages = bot_messages + ${sql.raw(input.authorKind === "bot" ? "1" : "0")},
          operator_messages = operator_messages + ${sql.raw(input.authorKind === "operator" ? "1" : "0")}
      WHERE id = ${conversationId} AND ${isNew}`),
  ];
  if (input.sentiment?.words.length) {
    // Keyword sentiment (A5) as a running mean over the customer's messages that carry any, and the words that matched.
    const { score, words } = input.sentiment;
    statements.push(
      db.run(sql`UPDATE conversations
        SET sentiment = (COALESCE(sentiment, 0) * sentiment_count + ${score}) / (sentiment_count + 1),
            sentiment_count = sentiment_count + 1,
            sentiment_words = ${countWords(words)}
        WHERE id = ${conversationId} AND ${isNew}`),
    );
  }
  if (input.marks?.visitor || input.marks?.operator) statements.push(storeMarks(db, conversationId, input.marks));
  const byOperator = input.authorKind === "operator";
  if (byOperator) {
    // Reply time (A1): an operator message after the first human answer that answers customer
    // messages waiting since the operators' last one; `seq` is the first of those. Runs before
    // the first reply is recorded, so the first answer itself is not a reply time.
    statements.push(
      db.run(sql`
        INSERT INTO events (workspace_id, conversation_id, type, actor_kind, actor_id, data, at)
        SELECT ${input.workspaceId}, ${conversationId}, 'replied', 'operator', ${input.authorId}, json_object('seq', w.seq), ${at}
        FROM (SELECT MIN(m.seq) AS seq FROM messages AS m
              WHERE m.conversation_id = ${conversationId} AND m.author_kind = 'visitor'
                AND m.seq > COALESCE((SELECT MAX(o.seq) FROM messages AS o
                  WHERE o.conversation_id = ${conversationId} AND o.author_kind = 'operator' AND o.id != ${id}), 0)) AS w
        WHERE w.seq IS NOT NULL AND ${isNew}
          AND EXISTS (SELECT 1 FROM events WHERE conversation_id = ${conversationId} AND type = 'first_reply')`),
    );
    // The first human answer is a milestone analytics reads (first response time).
    statements.push(
      db.run(sql`
        UPDATE conversations SET first_human_reply_at = ${at}
        WHERE id = ${conversationId} AND first_human_reply_at IS NULL AND ${isNew}`),
      db.run(sql`
        INSERT INTO events (workspace_id, conversation_id, type, actor_kind, actor_id, data, at)
        SELECT ${input.workspaceId}, ${conversationId}, 'first_reply', 'operator', ${input.authorId},
               json_object('groupId', (SELECT group_id FROM conversations WHERE id = ${conversationId})), ${at}
        WHERE ${isNew} AND NOT EXISTS (
          SELECT 1 FROM events WHERE conversation_id = ${conversationId} AND type = 'first_reply'
        )`),
      // 1 when the event row above went in: this message is the first human answer.
      db.run(sql`SELECT changes() AS first`),
    );
  }
  statements.push(
    db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.clientMsgId, input.clientMsgId))),
  );
  return {
    statements,
    read(results) {
      const [row] = results.at(-1) as (typeof messages.$inferSelect)[];
      if (!row) throw new Error(`message ${input.clientMsgId} was neither stored nor found`);
      const firstReply = byOperator && (results.at(-2) as ResultSet).rows[0]?.first === 1;
      return { message: toMessage(row), duplicate: row.id !== id, firstReply };
    },
  };
}

/** Raises the stored read marks to the room's (never down, never past the last message). */
export function storeMarks(db: Db, conversationId: string, marks: PendingMarks) {
  return db.run(sql`UPDATE conversations
    SET visitor_read_seq = MAX(visitor_read_seq, MIN(${marks.visitor ?? 0}, last_seq)),
        operator_read_seq = MAX(operator_read_seq, MIN(${marks.operator ?? 0}, last_seq))
    WHERE id = ${conversationId}`);
}

/** Stores a message alone: one write request (see `appendStep`). */
export async function appendMessage(db: Db, input: Parameters<typeof appendStep>[1]) {
  const [stored] = await commit(db, appendStep(db, input));
  return stored;
}

/**
 * The conversation's sentiment words with this message's added: JSON text
 * built in SQL from the stored object, so it rides in the same write.
 */
function countWords(words: string[]): SQL {
  const counts = new Map<string, number>();
  for (const word of words.slice(0, 20)) counts.set(word, (counts.get(word) ?? 0) + 1);
  let json: SQL = sql`sentiment_words`;
  for (const [word, n] of counts) {
    const path = `$."${word.replace(/["\\]/g, "")}"`;
    // A whole number in the SQL: a bound JS number arrives as a float, and the count would read 1.0.
    json = sql`json_set(${json}, ${path}, COALESCE(json_extract(sentiment_words, ${path}), 0) + ${sql.raw(String(n))})`;
  }
  return json;
}
