import { newId, type PageContext } from "@tandem/protocol";
import type { VisitorActor } from "../auth/actor";
import type { Db } from "../db/client";
import { conversations } from "../db/schema";
import { recordEvent } from "../events";

/**
 * Opens a web conversation for a visitor. It starts with the bot; the room
 * moves it on when the customer first writes.
 */
export async function createConversation(db: Db, visitor: VisitorActor, context: PageContext) {
  const at = Date.now();
  const row = {
    id: newId(at),
    workspaceId: visitor.workspaceId,
    siteId: visitor.siteId,
    contactId: visitor.contactId,
    visitorId: visitor.id,
    channel: "web" as const,
    status: "bot" as const,
    context,
    createdAt: at,
  };
  await db.batch([
    db.insert(conversations).values(row),
    recordEvent(db, {
      workspaceId: row.workspaceId,
      conversationId: row.id,
      type: "created",
      actorKind: "visitor",
      actorId: visitor.id,
      data: { channel: "web", url: context.url ?? null },
      at,
    }),
  ]);
  return row;
}
