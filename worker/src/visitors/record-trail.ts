import { newId, type TrailVisit } from "@tandem/protocol";
import { eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { VisitorActor } from "../auth/actor";
import type { Db } from "../db/client";
import { conversations, pageViews } from "../db/schema";

/**
 * What the widget sends with a new conversation besides its page context: the
 * pre-chat topic and the pages seen before writing (W3, W4), stored so the
 * operators see them with the conversation.
 */
export async function recordConversationStart(
  db: Db,
  visitor: VisitorActor,
  conversationId: string,
  { topic, trail }: { topic?: string; trail: TrailVisit[] },
) {
  const writes: BatchItem<"sqlite">[] = trail.map((visit) =>
    db.insert(pageViews).values({
      id: newId(),
      workspaceId: visitor.workspaceId,
      visitorId: visitor.id,
      conversationId,
      url: visit.url,
      title: visit.title ?? null,
      at: visit.at,
    }),
  );
  if (topic) writes.push(db.update(conversations).set({ topic }).where(eq(conversations.id, conversationId)));
  const [first, ...rest] = writes;
  if (first) await db.batch([first, ...rest]);
}
