import type { OperatorRole, TeamGroup, TeamMember } from "@tandem/protocol";
import { and, count, eq, isNull, ne } from "drizzle-orm";
import { hasRole } from "../auth/roles";
import type { Db } from "../db/client";
import { groupMembers, groups, memberships, operators } from "../db/schema";

/** Everyone in the workspace, active or not, with the groups they are in. */
export async function listMembers(db: Db, workspaceId: string): Promise<TeamMember[]> {
  const [people, belongs] = await db.batch([
    db
      .select({
        id: operators.id,
        name: operators.name,
        email: operators.email,
        role: memberships.role,
        presence: memberships.presence,
        maxChats: memberships.maxChats,
        deactivatedAt: operators.deactivatedAt,
      })
      .from(memberships)
      .innerJoin(operators, eq(operators.id, memberships.operatorId))
      .where(eq(memberships.workspaceId, workspaceId))
      .orderBy(operators.name),
    db
      .select({ groupId: groupMembers.groupId, operatorId: groupMembers.operatorId })
      .from(groupMembers)
      .innerJoin(groups, eq(groups.id, groupMembers.groupId))
      .where(eq(groups.workspaceId, workspaceId)),
  ]);
  return people.map(({ deactivatedAt, ...p }) => ({
    ...p,
    deactivated: deactivatedAt !== null,
    groupIds: belongs.filter((b) => b.operatorId === p.id).map((b) => b.groupId),
  }));
}

export async function listGroups(db: Db, workspaceId: string): Promise<TeamGroup[]> {
  const [rows, members] = await db.batch([
    db
      .select({ id: groups.id, name: groups.name, routingMode: groups.routingMode, returnOnOffline: groups.returnOnOffline })
      .from(groups)
      .where(eq(groups.workspaceId, workspaceId))
      .orderBy(groups.name),
    db
      .select({ groupId: groupMembers.groupId, operatorId: groupMembers.operatorId })
      .from(groupMembers)
      .innerJoin(groups, eq(groups.id, groupMembers.groupId))
      .where(eq(groups.workspaceId, workspaceId)),
  ]);
  return rows.map((g) => ({ ...g, memberIds: members.filter((m) => m.groupId === g.id).map((m) => m.operatorId) }));
}

/** An operator's place in this workspace; null for anyone else's operator (who must look missing). */
export async function membershipOf(db: Db, workspaceId: string, operatorId: string) {
  const [row] = await db
    .select({ role: memberships.role, deactivatedAt: operators.deactivatedAt })
    .from(memberships)
    .innerJoin(operators, eq(operators.id, memberships.operatorId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.operatorId, operatorId)))
    .limit(1);
  return row ?? null;
}

export async function groupOf(db: Db, workspaceId: string, groupId: string) {
  const [row] = await db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.workspaceId, workspaceId), eq(groups.id, groupId)))
    .limit(1);
  return row ?? null;
}

/** Active owners of the workspace other than `operatorId`. */
export async function otherOwners(db: Db, workspaceId: string, operatorId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .innerJoin(operators, eq(operators.id, memberships.operatorId))
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        eq(memberships.role, "owner"),
        ne(memberships.operatorId, operatorId),
        isNull(operators.deactivatedAt),
      ),
    );
  return row.n;
}

/** Whether an operator has workspaces besides this one (deactivation is account-wide). */
export async function memberElsewhere(db: Db, workspaceId: string, operatorId: string) {
  const rows = await db
    .select({ w: memberships.workspaceId })
    .from(memberships)
    .where(and(eq(memberships.operatorId, operatorId), ne(memberships.workspaceId, workspaceId)))
    .limit(1);
  return rows.length > 0;
}

/**
 * Whether `actor` may give `role`: never above their own, and only an owner
 * makes (or unmakes) owners. Null when allowed, else the reason.
 */
export function roleRefusal(actor: { role: OperatorRole }, role: OperatorRole, current?: OperatorRole): string | null {
  if (!hasRole(actor, role)) return `you cannot give the ${role} role, it is above your own`;
  if ((role === "owner" || current === "owner") && actor.role !== "owner") return "only an owner can make or change owners";
  return null;
}
