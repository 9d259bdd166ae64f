import { newId } from "@tandem/protocol";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { pageViews } from "../db/schema";

export type PageView = { url: string; title: string | null; at: number };

/** How much of the trail an operator sees beside a conversation. */
const TRAIL_LIMIT = 50;

/**
 * Stores the page a visitor is on now, unless it is the page this
 * conversation last recorded (a reconnect says the page again). Returns the
 * stored view, or null for a repeat.
 */
export async function recordPageView(
  db: Db,
  view: { workspaceId: string; visitorId: string; conversationId: string; url: string; title: string | null },
): Promise<PageView | null> {
  const at = Date.now();
  const rows = await db.all<{ at: number }>(sql`
    INSERT INTO page_views (id, workspace_id, visitor_id, conversation_id, url, title, at)
    SELECT ${newId(at)}, ${view.workspaceId}, ${view.visitorId}, ${view.conversationId}, ${view.url}, ${view.title}, ${at}
    WHERE NOT EXISTS (
      SELECT 1 FROM (
        SELECT url FROM page_views WHERE visitor_id = ${view.visitorId} AND conversation_id = ${view.conversationId}
        ORDER BY at DESC, id DESC LIMIT 1
      ) WHERE url = ${view.url}
    )
    RETURNING at`);
  return rows.length ? { url: view.url, title: view.title, at } : null;
}

/** A conversation's navigation trail, newest first. */
export function readTrail(db: Db, conversationId: string, limit = TRAIL_LIMIT) {
  // Through the visitor, so that page_views' (visitor_id, at) index does the work.
  const visitor = sql`(SELECT visitor_id FROM conversations WHERE id = ${conversationId})`;
  return db
    .select({ url: pageViews.url, title: pageViews.title, at: pageViews.at })
    .from(pageViews)
    .where(and(eq(pageViews.visitorId, visitor), eq(pageViews.conversationId, conversationId)))
    .orderBy(desc(pageViews.at), desc(pageViews.id))
    .limit(limit);
}

/** The page a visitor was last seen on in this conversation, or null. */
export async function readCurrentPage(db: Db, conversationId: string, visitorId: string): Promise<PageView | null> {
  const [row] = await db
    .select({ url: pageViews.url, title: pageViews.title, at: pageViews.at })
    .from(pageViews)
    .where(and(eq(pageViews.visitorId, visitorId), eq(pageViews.conversationId, conversationId)))
    .orderBy(desc(pageViews.at), desc(pageViews.id))
    .limit(1);
  return row ?? null;
}
