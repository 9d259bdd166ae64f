import type { Message, MessageButton } from "@tandem/protocol";
import { and, desc, eq, gt, lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { messages } from "../db/schema";

type MessageRow = typeof messages.$inferSelect;

export function toMessage(row: MessageRow): Message {
  const meta = row.meta ?? {};
  return {
    seq: row.seq,
    clientMsgId: row.clientMsgId,
    authorKind: row.authorKind,
    authorId: row.authorId,
    authorName: typeof meta.name === "string" ? meta.name : null,
    kind: row.kind,
    body: row.body,
    ...(typeof meta.event === "string" ? { event: meta.event } : {}),
    ...(Array.isArray(meta.buttons) ? { buttons: meta.buttons.filter(isButton) } : {}),
    at: row.createdAt,
  };
}

/** The message this sender's clientMsgId already stored in the conversation, if any (the idempotency key). */
export async function findByClientMsgId(db: Db, conversationId: string, clientMsgId: string): Promise<Message | null> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.clientMsgId, clientMsgId)))
    .limit(1);
  return row ? toMessage(row) : null;
}

// meta is JSON anyone with database access could have written: only well-formed buttons reach clients.
function isButton(value: unknown): value is MessageButton {
  const button = value as MessageButton | null;
  return (
    typeof button === "object" &&
    button !== null &&
    typeof button.label === "string" &&
    (button.intent === undefined || typeof button.intent === "string") &&
    (button.operator === undefined || typeof button.operator === "boolean")
  );
}

/**
 * The newest `limit` messages with seq above `after`, oldest first. `older`
 * says more than that came after `after`: the ones left out are older than
 * the first returned (a resume sends a page, never a whole history).
 */
export async function readNewestAfter(db: Db, conversationId: string, after: number, limit: number) {
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), gt(messages.seq, after)))
    .orderBy(desc(messages.seq))
    .limit(limit + 1);
  return { messages: rows.slice(0, limit).reverse().map(toMessage), older: rows.length > limit };
}

/** The page of messages just before `before` (or the newest page), oldest first. */
export async function readMessagesBefore(db: Db, conversationId: string, before: number | undefined, limit: number) {
  const rows = await db
    .select()
    .from(messages)
    .where(
      before === undefined
        ? eq(messages.conversationId, conversationId)
        : and(eq(messages.conversationId, conversationId), lt(messages.seq, before)),
    )
    .orderBy(desc(messages.seq))
    .limit(limit + 1);
  return { messages: rows.slice(0, limit).reverse().map(toMessage), more: rows.length > limit };
}
