import { and, eq, isNull, ne } from "drizzle-orm";
import type { Db } from "../db/client";
import { sessions } from "../db/schema";
import type { Env } from "../env";
import { inboxRoom } from "../rooms";

/**
 * An operator's role in the workspace changed: every socket of their live
 * sessions there connects again, so the rooms hear the new role at once.
 */
export async function renewSessions(db: Db, env: Env, workspaceId: string, operatorId: string): Promise<void> {
  const live = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.operatorId, operatorId), eq(sessions.workspaceId, workspaceId), isNull(sessions.revokedAt)));
  await Promise.all(live.map((s) => inboxRoom(env, workspaceId).renewSession(s.id)));
}

/**
 * Revokes every live session of an operator (but `except`, the one asking)
 * and closes their inbox sockets at once, not at their next request.
 */
export async function endSessions(db: Db, env: Env, operatorId: string, except?: string): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: Date.now() })
    .where(and(eq(sessions.operatorId, operatorId), isNull(sessions.revokedAt), except ? ne(sessions.id, except) : undefined))
    .returning({ id: sessions.id, workspaceId: sessions.workspaceId });
  await Promise.all(ended.map((s) => inboxRoom(env, s.workspaceId).endSession(s.id)));
  return ended.length;
}
