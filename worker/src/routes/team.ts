import {
  AcceptInviteBody,
  DefaultGroupBody,
  GroupBody,
  GroupChangeBody,
  InviteBody,
  newId,
  OperatorChangeBody,
  PasswordChangeBody,
  type PendingInvite,
} from "@tandem/protocol";
import { and, eq, gt, isNull, ne } from "drizzle-orm";
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { endSessions, renewSessions } from "../auth/end-sessions";
import { requireOperator, type OperatorVariables } from "../auth/operator";
import { hashPassword, verifyPassword } from "../auth/password";
import { requireRole } from "../auth/roles";
import { signInAs, startPasswordAttempt } from "../auth/sign-in";
import { forgiveAttempt } from "../auth/throttle";
import { conversations, groupMembers, groups, intents, invites, memberships, operators, sites } from "../db/schema";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { publicOrigin } from "../http/public-url";
import { createInvite, findInvite, inviteLink, joinWorkspace, markAccepted, operatorByEmail } from "../team/invites";
import { groupOf, listGroups, listMembers, memberElsewhere, membershipOf, otherOwners, roleRefusal } from "../team/members";
import { validate } from "../validate";

type TeamEnv = { Bindings: Env; Variables: OperatorVariables };

const admin = requireRole("admin");

/**
 * The team (D1): invites, operators, groups, one's own password. Reading the
 * operators and groups is for everyone (transfer pickers); changing them is
 * for admins. Another workspace's ids answer 404, like ids that do not exist.
 */
export const teamRoutes = new Hono<TeamEnv>()
  .use(csrf())
  // The invitee has no session yet: the token in the link is what lets them in.
  .get("/invites/:token", async (c) => {
    const found = await findInvite(c.var.db, c.req.param("token"));
    if (!found.invite) return apiError(c, 404, "not_found", "no such invite");
    if (found.gone) return apiError(c, 410, "gone", "this invite was used, revoked or has expired");
    const { email, name, role, workspaceName } = found.invite;
    const hasAccount = (await operatorByEmail(c.var.db, email)) !== null;
    return c.json({ invite: { email, name, role, workspaceName, hasAccount } });
  })
  .post("/invites/:token/accept", validate("json", AcceptInviteBody), async (c) => {
    const db = c.var.db;
    const found = await findInvite(db, c.req.param("token"));
    if (!found.invite) return apiError(c, 404, "not_found", "no such invite");
    if (found.gone) return apiError(c, 410, "gone", "this invite was used, revoked or has expired");
    const invite = found.invite;
    const { password } = c.req.valid("json");
    let account = await operatorByEmail(db, invite.email);
    if (account) {
      // An existing account joins with its own password, under the same throttle as sign-in.
      const { attempt, refusal } = await startPasswordAttempt(c, db, invite.email);
      if (!attempt) return refusal;
      if (!(await verifyPassword(password, account.passwordHash))) {
        return apiError(c, 403, "wrong_password", "this e-mail already has an account: enter its password");
      }
      await forgiveAttempt(db, attempt);
      if (account.deactivatedAt) return apiError(c, 403, "deactivated", "this account is deactivated");
    }
    if (!(await markAccepted(db, invite.id))) return apiError(c, 410, "gone", "this invite was used, revoked or has expired");
    if (!account) {
      account = { id: newId(), name: invite.name, passwordHash: await hashPassword(password), deactivatedAt: null };
      await db.insert(operators).values({ ...account, email: invite.email, createdAt: Date.now() });
    }
    await joinWorkspace(db, { workspaceId: invite.workspaceId, operatorId: account.id, role: invite.role, groupIds: found.groupIds });
    const [membership] = await db
      .select({ workspaceId: memberships.workspaceId, role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, invite.workspaceId), eq(memberships.operatorId, account.id)));
    return c.json({ operator: await signInAs(c, db, account, membership) });
  })
  .use("*", requireOperator())
  .get("/operators", async (c) => c.json({ operators: await listMembers(c.var.db, c.var.operator.workspaceId) }))
  .get("/groups", async (c) => c.json({ groups: await listGroups(c.var.db, c.var.operator.workspaceId) }))
  .post("/me/password", validate("json", PasswordChangeBody), async (c) => {
    const { db, operator } = c.var;
    const { current, next } = c.req.valid("json");
    const [row] = await db.select({ hash: operators.passwordHash }).from(operators).where(eq(operators.id, operator.id));
    if (!(await verifyPassword(current, row.hash))) {
      return apiError(c, 403, "wrong_password", "the current password is wrong");
    }
    await db.update(operators).set({ passwordHash: await hashPassword(next) }).where(eq(operators.id, operator.id));
    // Whoever else knew the old password is out now; this browser stays signed in.
    const ended = await endSessions(db, c.env, operator.id, operator.sessionId);
    return c.json({ ok: true, endedSessions: ended });
  })
  .patch("/operators/:id", admin, validate("json", OperatorChangeBody), async (c) => {
    const { db, operator } = c.var;
    const id = c.req.param("id");
    const target = await membershipOf(db, operator.workspaceId, id);
    if (!target) return apiError(c, 404, "not_found", "no such operator");
    const { role, maxChats } = c.req.valid("json");
    if (role && role !== target.role) {
      const refusal = roleRefusal(operator, role, target.role);
      if (refusal) return apiError(c, 403, "forbidden", refusal);
      if (target.role === "owner" && (await otherOwners(db, operator.workspaceId, id)) === 0) {
        return apiError(c, 409, "last_owner", "the workspace needs at least one owner");
      }
    }
    await db
      .update(memberships)
      .set({ role, maxChats })
      .where(and(eq(memberships.workspaceId, operator.workspaceId), eq(memberships.operatorId, id)));
    // Open sockets carry the role they connected with: they connect again under the new one.
    if (role && role !== target.role) await renewSessions(db, c.env, operator.workspaceId, id);
    const member = (await listMembers(db, operator.workspaceId)).find((m) => m.id === id);
    return c.json({ operator: member! });
  })
  .post("/operators/:id/deactivate", admin, async (c) => {
    const { db, operator } = c.var;
    const id = c.req.param("id");
    const target = await membershipOf(db, operator.workspaceId, id);
    if (!target) return apiError(c, 404, "not_found", "no such operator");
    if (id === operator.id) return apiError(c, 409, "self", "you cannot deactivate yourself");
    if (target.role === "owner" && operator.role !== "owner") {
      return apiError(c, 403, "forbidden", "only an owner can deactivate an owner");
    }
    // The account is shared by every workspace it belongs to; one workspace must not lock it out of another.
    if (await memberElsewhere(db, operator.workspaceId, id)) {
      return apiError(c, 409, "member_elsewhere", "this operator also belongs to another workspace");
    }
    await db.update(operators).set({ deactivatedAt: Date.now() }).where(and(eq(operators.id, id), isNull(operators.deactivatedAt)));
    const ended = await endSessions(db, c.env, id);
    return c.json({ ok: true, endedSessions: ended });
  })
  .post("/operators/:id/reactivate", admin, async (c) => {
    const { db, operator } = c.var;
    const id = c.req.param("id");
    const target = await membershipOf(db, operator.workspaceId, id);
    if (!target) return apiError(c, 404, "not_found", "no such operator");
    if (target.role === "owner" && operator.role !== "owner") {
      return apiError(c, 403, "forbidden", "only an owner can reactivate an owner");
    }
    await db.update(operators).set({ deactivatedAt: null }).where(eq(operators.id, id));
    return c.json({ ok: true });
  })
  .get("/invites", admin, async (c) => {
    const rows = await c.var.db
      .select({
        id: invites.id,
        email: invites.email,
        name: invites.name,
        role: invites.role,
        createdAt: invites.createdAt,
        expiresAt: invites.expiresAt,
      })
      .from(invites)
      .where(
        and(
          eq(invites.workspaceId, c.var.operator.workspaceId),
          isNull(invites.acceptedAt),
          isNull(invites.revokedAt),
          gt(invites.expiresAt, Date.now()),
        ),
      )
      .orderBy(invites.createdAt);
    return c.json({ invites: rows satisfies PendingInvite[] });
  })
  .post("/invites", admin, validate("json", InviteBody), async (c) => {
    const { db, operator } = c.var;
    const body = c.req.valid("json");
    const refusal = roleRefusal(operator, body.role);
    if (refusal) return apiError(c, 403, "forbidden", refusal);
    const groupIds = [...new Set(body.groupIds)];
    for (const groupId of groupIds) {
      if (!(await groupOf(db, operator.workspaceId, groupId))) return apiError(c, 404, "not_found", "no such group");
    }
    const existing = await operatorByEmail(db, body.email);
    if (existing && (await membershipOf(db, operator.workspaceId, existing.id))) {
      return apiError(c, 409, "already_member", "this e-mail is already an operator here");
    }
    const origin = publicOrigin(c.env, c.req.url);
    if (!origin) return apiError(c, 500, "not_configured", "this deployment has no PUBLIC_URL set, so it cannot make invite links");
    const { invite, token } = await createInvite(db, { ...body, groupIds, workspaceId: operator.workspaceId, invitedBy: operator.id });
    const { id, email, name, role, createdAt, expiresAt } = invite;
    const link = inviteLink(origin, token);
    return c.json({ invite: { id, email, name, role, createdAt, expiresAt } satisfies PendingInvite, link }, 201);
  })
  .delete("/invites/:id", admin, async (c) => {
    const revoked = await c.var.db
      .update(invites)
      .set({ revokedAt: Date.now() })
      .where(
        and(
          eq(invites.id, c.req.param("id")),
          eq(invites.workspaceId, c.var.operator.workspaceId),
          isNull(invites.acceptedAt),
          isNull(invites.revokedAt),
        ),
      )
      .returning({ id: invites.id });
    if (!revoked.length) return apiError(c, 404, "not_found", "no such pending invite");
    return c.json({ ok: true });
  })
  .post("/groups", admin, validate("json", GroupBody), async (c) => {
    const now = Date.now();
    const group = { id: newId(now), workspaceId: c.var.operator.workspaceId, ...c.req.valid("json"), createdAt: now };
    await c.var.db.insert(groups).values(group);
    const { id, name, routingMode, returnOnOffline } = group;
    return c.json({ group: { id, name, routingMode, returnOnOffline, memberIds: [] as string[] } }, 201);
  })
  .patch("/groups/:id", admin, validate("json", GroupChangeBody), async (c) => {
    const { db, operator } = c.var;
    const id = c.req.param("id");
    if (!(await groupOf(db, operator.workspaceId, id))) return apiError(c, 404, "not_found", "no such group");
    await db.update(groups).set(c.req.valid("json")).where(eq(groups.id, id));
    const group = (await listGroups(db, operator.workspaceId)).find((g) => g.id === id);
    return c.json({ group: group! });
  })
  .delete("/groups/:id", admin, async (c) => {
    const { db, operator } = c.var;
    const id = c.req.param("id");
    if (!(await groupOf(db, operator.workspaceId, id))) return apiError(c, 404, "not_found", "no such group");
    const open = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.groupId, id), ne(conversations.status, "closed")))
      .limit(1);
    if (open.length) return apiError(c, 409, "group_in_use", "this group has open conversations; move or close them first");
    // Nothing may point at a group that is gone: sites' defaults, intents, closed conversations.
    await db.batch([
      db.delete(groupMembers).where(eq(groupMembers.groupId, id)),
      db.update(sites).set({ defaultGroupId: null }).where(eq(sites.defaultGroupId, id)),
      db.update(intents).set({ groupId: null }).where(eq(intents.groupId, id)),
      db.update(conversations).set({ groupId: null }).where(eq(conversations.groupId, id)),
      db.delete(groups).where(eq(groups.id, id)),
    ]);
    return c.json({ ok: true });
  })
  .put("/groups/:id/members/:operatorId", admin, async (c) => {
    const { db, operator } = c.var;
    const { id, operatorId } = c.req.param();
    if (!(await groupOf(db, operator.workspaceId, id))) return apiError(c, 404, "not_found", "no such group");
    if (!(await membershipOf(db, operator.workspaceId, operatorId))) return apiError(c, 404, "not_found", "no such operator");
    await db.insert(groupMembers).values({ groupId: id, operatorId }).onConflictDoNothing();
    return c.json({ ok: true });
  })
  .delete("/groups/:id/members/:operatorId", admin, async (c) => {
    const { db, operator } = c.var;
    const { id, operatorId } = c.req.param();
    if (!(await groupOf(db, operator.workspaceId, id))) return apiError(c, 404, "not_found", "no such group");
    const removed = await db
      .delete(groupMembers)
      .where(and(eq(groupMembers.groupId, id), eq(groupMembers.operatorId, operatorId)))
      .returning({ id: groupMembers.operatorId });
    if (!removed.length) return apiError(c, 404, "not_found", "no such member of this group");
    return c.json({ ok: true });
  })
  .get("/sites", admin, async (c) => {
    const rows = await c.var.db
      .select({ id: sites.id, name: sites.name, defaultGroupId: sites.defaultGroupId })
      .from(sites)
      .where(eq(sites.workspaceId, c.var.operator.workspaceId))
      .orderBy(sites.name);
    return c.json({ sites: rows });
  })
  .put("/sites/:id/default-group", admin, validate("json", DefaultGroupBody), async (c) => {
    const { db, operator } = c.var;
    const { groupId } = c.req.valid("json");
    if (groupId && !(await groupOf(db, operator.workspaceId, groupId))) return apiError(c, 404, "not_found", "no such group");
    const updated = await db
      .update(sites)
      .set({ defaultGroupId: groupId })
      .where(and(eq(sites.id, c.req.param("id")), eq(sites.workspaceId, operator.workspaceId)))
      .returning({ id: sites.id });
    if (!updated.length) return apiError(c, 404, "not_found", "no such site");
    return c.json({ ok: true });
  });
