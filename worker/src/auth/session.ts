import { and, eq, gt, isNull } from "drizzle-orm";
import { newId } from "@tandem/protocol";
import type { Db } from "../db/client";
import { memberships, operators, sessions } from "../db/schema";
import type { OperatorActor } from "./actor";
import { randomToken, sha256 } from "./crypto";

export const SESSION_COOKIE = "tandem_session";
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** How stale `last_seen_at` may get before a request writes it again. */
const SEEN_EVERY_MS = 60 * 60 * 1000;

/** Starts a session; the returned token goes in the cookie and only its hash is stored. */
export async function createSession(
  db: Db,
  input: { operatorId: string; workspaceId: string; userAgent: string | null },
): Promise<{ id: string; token: string; expiresAt: number }> {
  const token = randomToken();
  const now = Date.now();
  const session = {
    id: newId(now),
    operatorId: input.operatorId,
    workspaceId: input.workspaceId,
    tokenHash: await sha256(token),
    userAgent: input.userAgent?.slice(0, 256) ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + SESSION_TTL_MS,
  };
  await db.insert(sessions).values(session);
  return { id: session.id, token, expiresAt: session.expiresAt };
}

/** The operator behind a session cookie, or null when it is unknown, expired, revoked or deactivated. */
export async function readSession(db: Db, token: string | undefined): Promise<OperatorActor | null> {
  if (!token || token.length > 128) return null;
  const [row] = await db
    .select({
      sessionId: sessions.id,
      operatorId: operators.id,
      name: operators.name,
      workspaceId: sessions.workspaceId,
      role: memberships.role,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(operators, eq(operators.id, sessions.operatorId))
    .innerJoin(
      memberships,
      and(eq(memberships.operatorId, sessions.operatorId), eq(memberships.workspaceId, sessions.workspaceId)),
    )
    .where(
      and(
        eq(sessions.tokenHash, await sha256(token)),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, Date.now()),
        isNull(operators.deactivatedAt),
      ),
    )
    .limit(1);
  if (!row) return null;
  const now = Date.now();
  if (now - row.lastSeenAt > SEEN_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.sessionId));
  }
  return {
    kind: "operator",
    id: row.operatorId,
    name: row.name,
    workspaceId: row.workspaceId,
    role: row.role,
    sessionId: row.sessionId,
  };
}

/** Ends one session of an operator; its workspace, or null when it was not theirs or already ended. */
export async function revokeSession(db: Db, operatorId: string, sessionId: string): Promise<string | null> {
  const [row] = await db
    .update(sessions)
    .set({ revokedAt: Date.now() })
    .where(and(eq(sessions.id, sessionId), eq(sessions.operatorId, operatorId), isNull(sessions.revokedAt)))
    .returning({ workspaceId: sessions.workspaceId });
  return row?.workspaceId ?? null;
}
