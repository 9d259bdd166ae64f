import { newId, type PrompterFeedbackBody } from "@tandem/protocol";
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { conversations, intents, suggestionFeedback } from "../db/schema";
import { bumpVersion } from "../knowledge/write";

export type FeedbackResult = { id: string } | { missing: "conversation" | "intent" };

/**
 * Records an operator's accept or reject of a suggestion (B6) and moves the
 * workspace's knowledge version, so every cached matcher (the API's and each
 * room's) rebuilds with it and ranks similar questions accordingly.
 */
export async function recordFeedback(
  db: Db,
  actor: { workspaceId: string; operatorId: string },
  conversationId: string,
  body: PrompterFeedbackBody,
  now = Date.now(),
): Promise<FeedbackResult> {
  const [[conversation], [intent]] = await db.batch([
    db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.id, conversationId), eq(conversations.workspaceId, actor.workspaceId))),
    db
      .select({ id: intents.id })
      .from(intents)
      .where(and(eq(intents.id, body.intentId), eq(intents.workspaceId, actor.workspaceId))),
  ]);
  if (!conversation) return { missing: "conversation" };
  if (!intent) return { missing: "intent" };
  const id = newId(now);
  await db.batch([
    db.insert(suggestionFeedback).values({
      id,
      workspaceId: actor.workspaceId,
      conversationId,
      intentId: intent.id,
      operatorId: actor.operatorId,
      accepted: body.accepted,
      suggestion: body.suggestion,
      question: body.question,
      createdAt: now,
    }),
    bumpVersion(db, actor.workspaceId),
  ]);
  return { id };
}
