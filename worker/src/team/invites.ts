import { newId, type OperatorRole } from "@tandem/protocol";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { randomToken, sha256 } from "../auth/crypto";
import type { Db } from "../db/client";
import { groupMembers, groups, invites, memberships, operators, workspaces } from "../db/schema";

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The token is random, then the ids of the groups to join. Only its SHA-256 is
 * stored, so the group list cannot be changed without the invite no longer
 * being found (invites has no column for groups).
 */
export async function createInvite(
  db: Db,
  input: { workspaceId: string; email: string; name: string; role: OperatorRole; groupIds: string[]; invitedBy: string },
) {
  const now = Date.now();
  const token = [randomToken(), ...input.groupIds].join(".");
  const invite = {
    id: newId(now),
    workspaceId: input.workspaceId,
    email: input.email,
    name: input.name,
    role: input.role,
    tokenHash: await sha256(token),
    invitedBy: input.invitedBy,
    createdAt: now,
    expiresAt: now + INVITE_TTL_MS,
  };
  await db.insert(invites).values(invite);
  return { invite, token };
}

/** What the invitee opens: the dashboard at the deployment's public origin (see http/public-url.ts). */
export function inviteLink(origin: string, token: string): string {
  return `${origin}/dashboard/#/invite/${token}`;
}

export type FoundInvite = Awaited<ReturnType<typeof findInvite>>;

/** The invite a link names with its workspace, or why it cannot be used. */
export async function findInvite(db: Db, token: string) {
  if (token.length > 1024) return { gone: false as const, invite: null };
  const [row] = await db
    .select({
      id: invites.id,
      workspaceId: invites.workspaceId,
      workspaceName: workspaces.name,
      email: invites.email,
      name: invites.name,
      role: invites.role,
      expiresAt: invites.expiresAt,
      acceptedAt: invites.acceptedAt,
      revokedAt: invites.revokedAt,
    })
    .from(invites)
    .innerJoin(workspaces, eq(workspaces.id, invites.workspaceId))
    .where(eq(invites.tokenHash, await sha256(token)))
    .limit(1);
  if (!row) return { gone: false as const, invite: null };
  const gone = row.acceptedAt !== null || row.revokedAt !== null || row.expiresAt <= Date.now();
  return { gone, invite: row, groupIds: token.split(".").slice(1) };
}

/** Marks the invite used; false when another accept got there first (one use only). */
export async function markAccepted(db: Db, inviteId: string) {
  const done = await db
    .update(invites)
    .set({ acceptedAt: Date.now() })
    .where(and(eq(invites.id, inviteId), isNull(invites.acceptedAt), isNull(invites.revokedAt)))
    .returning({ id: invites.id });
  return done.length === 1;
}

/** Joins the workspace (and the invite's groups that still exist there). */
export async function joinWorkspace(
  db: Db,
  input: { workspaceId: string; operatorId: string; role: OperatorRole; groupIds: string[] },
) {
  const own = input.groupIds.length
    ? await db
        .select({ id: groups.id })
        .from(groups)
        .where(and(eq(groups.workspaceId, input.workspaceId), inArray(groups.id, input.groupIds)))
    : [];
  await db.batch([
    db
      .insert(memberships)
      .values({ workspaceId: input.workspaceId, operatorId: input.operatorId, role: input.role, createdAt: Date.now() })
      .onConflictDoNothing(),
    ...own.map((g) => db.insert(groupMembers).values({ groupId: g.id, operatorId: input.operatorId }).onConflictDoNothing()),
  ]);
}

export async function operatorByEmail(db: Db, email: string) {
  const [row] = await db
    .select({ id: operators.id, name: operators.name, passwordHash: operators.passwordHash, deactivatedAt: operators.deactivatedAt })
    .from(operators)
    .where(eq(operators.email, email))
    .limit(1);
  return row ?? null;
}
