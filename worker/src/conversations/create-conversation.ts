import { newId, readPrechatForm, type PageContext, type TrailVisit } from "@tandem/protocol";
import { and, desc, eq } from "drizzle-orm";
import type { VisitorActor } from "../auth/actor";
import type { Db } from "../db/client";
import { conversations, pageViews, sites } from "../db/schema";
import { recordEvent } from "../events";
import { parseStored, siteSettingsColumns } from "../sites/load-site";

/** What the widget sends to start: the page, the pre-chat topic and the pages seen before writing (W3, W4). */
export type ConversationStart = { context: PageContext; topic?: string; trail?: TrailVisit[] };

export type Created =
  | { ok: true; conversation: { id: string; status: "bot" | "closed"; lastSeq: number } }
  | { ok: false; code: "bad_topic"; message: string };

/**
 * Opens a web conversation for a visitor, with its topic and trail, in one
 * write: it exists whole or not at all. It starts with the bot; the room
 * moves it on when the customer first writes.
 *
 * A customer who comes back within the site's reopen window (D8) gets the
 * conversation they just closed instead: their first message reopens it in
 * the room, and the pages seen since join its trail.
 */
export async function createConversation(db: Db, visitor: VisitorActor, start: ConversationStart): Promise<Created> {
  const { context, topic, trail = [] } = start;
  if (topic) {
    const topics = await siteTopics(db, visitor);
    if (topics.length > 0 && !topics.includes(topic)) {
      const list = topics.map((t) => JSON.stringify(t)).join(", ");
      return { ok: false, code: "bad_topic", message: `topic must be one of this site's pre-chat topics: ${list}` };
    }
  }

  const at = Date.now();
  const recent = await recentlyClosed(db, visitor, at);
  if (recent) {
    const [first, ...rest] = trail.map((visit) => pageView(db, visitor, recent.id, visit, at));
    if (first) await db.batch([first, ...rest]);
    return { ok: true, conversation: { id: recent.id, status: "closed", lastSeq: recent.lastSeq } };
  }
  const id = newId(at);
  await db.batch([
    db.insert(conversations).values({
      id,
      workspaceId: visitor.workspaceId,
      siteId: visitor.siteId,
      contactId: visitor.contactId,
      visitorId: visitor.id,
      channel: "web",
      status: "bot",
      topic: topic || null,
      context,
      createdAt: at,
    }),
    recordEvent(db, {
      workspaceId: visitor.workspaceId,
      conversationId: id,
      type: "created",
      actorKind: "visitor",
      actorId: visitor.id,
      data: { channel: "web", url: context.url ?? null },
      at,
    }),
    ...trail.map((visit) => pageView(db, visitor, id, visit, at)),
  ]);
  return { ok: true, conversation: { id, status: "bot", lastSeq: 0 } };
}

/** The topics the site's pre-chat form offers; none means any topic goes. */
async function siteTopics(db: Db, visitor: VisitorActor): Promise<string[]> {
  const [site] = await db
    .select({ prechatForm: siteSettingsColumns.prechatForm })
    .from(sites)
    .where(and(eq(sites.id, visitor.siteId), eq(sites.workspaceId, visitor.workspaceId)))
    .limit(1);
  return readPrechatForm(parseStored(site?.prechatForm))?.topics ?? [];
}

/** The visitor's latest conversation, if it was closed within its site's reopen window. */
async function recentlyClosed(db: Db, visitor: VisitorActor, now: number) {
  const [latest] = await db
    .select({ id: conversations.id, status: conversations.status, closedAt: conversations.closedAt, lastSeq: conversations.lastSeq, reopenMinutes: sites.reopenMinutes })
    .from(conversations)
    .innerJoin(sites, eq(sites.id, conversations.siteId))
    .where(and(eq(conversations.visitorId, visitor.id), eq(conversations.workspaceId, visitor.workspaceId)))
    .orderBy(desc(conversations.createdAt))
    .limit(1);
  const open = latest?.status === "closed" && latest.closedAt !== null && now - latest.closedAt < latest.reopenMinutes * 60_000;
  return open ? latest : null;
}

function pageView(db: Db, visitor: VisitorActor, conversationId: string, visit: TrailVisit, at: number) {
  return db.insert(pageViews).values({
    id: newId(),
    workspaceId: visitor.workspaceId,
    visitorId: visitor.id,
    conversationId,
    url: visit.url,
    title: visit.title ?? null,
    // Browsers' clocks run fast at times; a page cannot have been seen after the conversation began.
    at: Math.min(visit.at, at),
  });
}
