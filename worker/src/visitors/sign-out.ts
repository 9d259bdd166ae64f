import { and, desc, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { contacts, conversations, visitors } from "../db/schema";
import type { Env } from "../env";
import { conversationRoom } from "../rooms";
import { recordVisitorEvent } from "./contact-events";
import { logError } from "../log-error";

/**
 * A visitor has this many conversations at most that could still have a
 * socket open worth ending; a browser makes one at a time, so this is far
 * above what a person does and bounds what one sign-out fans out to.
 */
const ROOMS_PER_VISITOR = 100;
/** Room calls in flight at once when many visitors are signed out together. */
const ROOM_CALLS_AT_ONCE = 20;

/**
 * `Tandem('logout')`: every token of this visitor is refused from the commit
 * on (API and new room connections, see loadVisitor), and its sockets that are
 * already open are closed with 4401.
 */
export async function signOutVisitor(db: Db, env: Env, visitor: { id: string; workspaceId: string }): Promise<void> {
  const at = Date.now();
  await db.batch([
    db.update(visitors).set({ revokedAt: at }).where(and(eq(visitors.id, visitor.id), isNull(visitors.revokedAt))),
    recordVisitorEvent(db, visitor, "visitor_signed_out", { reason: "logout" }, at),
  ]);
  await endVisitorSockets(db, env, visitor.id);
}

/**
 * How long after an identify moved the browser to another person the old
 * visitor's open sockets are closed. The widget that asked lets go of them as
 * soon as it reads the answer; closing them at once raced that answer and the
 * widget reported its own chat as refused. The old token itself is refused at
 * the API and at new connections from the moment of the switch.
 */
export const SWITCH_GRACE_MS = 1000;

/** After an identify switched the browser to another person: the old visitor's sockets close once the grace is over. */
export async function endSwitchedVisitorSockets(db: Db, env: Env, visitorId: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SWITCH_GRACE_MS));
  await endVisitorSockets(db, env, visitorId);
}

/** Closes a revoked visitor's open sockets in each room of its conversations. */
export async function endVisitorSockets(db: Db, env: Env, visitorId: string): Promise<void> {
  const rooms = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.visitorId, visitorId))
    .orderBy(desc(conversations.createdAt))
    .limit(ROOMS_PER_VISITOR);
  await endSockets(env, rooms.map((room) => ({ conversationId: room.id, visitorId })));
}

/**
 * Signs out every visitor of a site whom an identify hash made someone known
 * (the site's identity secret leaked and was rotated): their tokens are
 * refused at once, and their sockets in open conversations are closed.
 * Returns how many visitors were signed out.
 */
export async function signOutVerifiedVisitors(db: Db, env: Env, site: { id: string; workspaceId: string }): Promise<number> {
  const at = Date.now();
  const verifiedContacts = db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.workspaceId, site.workspaceId), isNotNull(contacts.verifiedAt)));
  const ended = await db
    .update(visitors)
    .set({ revokedAt: at })
    .where(and(eq(visitors.siteId, site.id), isNull(visitors.revokedAt), inArray(visitors.contactId, verifiedContacts)))
    .returning({ id: visitors.id });
  if (ended.length === 0) return 0;
  const open = await db
    .select({ conversationId: conversations.id, visitorId: sql<string>`${conversations.visitorId}` })
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .where(and(eq(visitors.siteId, site.id), eq(visitors.revokedAt, at), ne(conversations.status, "closed")));
  await endSockets(env, open);
  return ended.length;
}

async function endSockets(env: Env, rooms: { conversationId: string; visitorId: string }[]): Promise<void> {
  for (let i = 0; i < rooms.length; i += ROOM_CALLS_AT_ONCE) {
    const calls = rooms.slice(i, i + ROOM_CALLS_AT_ONCE).map((r) => conversationRoom(env, r.conversationId).endVisitor(r.visitorId));
    // One room that cannot be reached must not keep the others' sockets open.
    for (const result of await Promise.allSettled(calls)) {
      if (result.status === "rejected") logError("end visitor sockets", result.reason);
    }
  }
}
