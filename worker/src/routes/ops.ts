import { ConversationListQuery, LoginBody, MessagesQuery, SendMessageBody } from "@tandem/protocol";
import { and, desc, eq, isNull, max } from "drizzle-orm";
import { Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { requireOperator, type OperatorVariables } from "../auth/operator";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "../auth/password";
import { signInAs, startPasswordAttempt } from "../auth/sign-in";
import { forgiveAttempt } from "../auth/throttle";
import { revokeSession, SESSION_COOKIE } from "../auth/session";
import { readMessagesBefore } from "../conversations/messages";
import { readConversationDetail, readOpenSummaries, readSummaries } from "../conversations/summaries";
import { conversations, events, memberships, operators, sessions, workspaces } from "../db/schema";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { conversationRoom, inboxRoom } from "../rooms";
import { validate } from "../validate";

type OpsEnv = { Bindings: Env; Variables: OperatorVariables };

/** The operators' side: the dashboard, same origin, session cookie. */
export const opsRoutes = new Hono<OpsEnv>()
  .use(csrf())

  .post("/login", validate("json", LoginBody), async (c) => {
    const { email, password } = c.req.valid("json");
    const db = c.var.db;
    const { attempt, refusal } = await startPasswordAttempt(c, db, email);
    if (!attempt) return refusal;
    const [operator] = await db
      .select({
        id: operators.id,
        name: operators.name,
        passwordHash: operators.passwordHash,
        deactivatedAt: operators.deactivatedAt,
      })
      .from(operators)
      .where(eq(operators.email, email))
      .limit(1);
    const good = await verifyPassword(password, operator?.passwordHash ?? DUMMY_PASSWORD_HASH);
    // The attempt was counted as a failure before the check; only a good password takes it back.
    if (!operator || !good || operator.deactivatedAt) return apiError(c, 401, "bad_credentials", "e-mail or password is wrong");
    await forgiveAttempt(db, attempt);
    const [membership] = await db
      .select({ workspaceId: memberships.workspaceId, role: memberships.role })
      .from(memberships)
      .where(eq(memberships.operatorId, operator.id))
      .orderBy(memberships.createdAt)
      .limit(1);
    if (!membership) return apiError(c, 403, "no_workspace", "this account belongs to no workspace");
    return c.json({ operator: await signInAs(c, db, operator, membership) });
  })
  .use("*", requireOperator())

  .post("/logout", async (c) => {
    const { id, sessionId, workspaceId } = c.var.operator;
    await revokeSession(c.var.db, id, sessionId);
    await inboxRoom(c.env, workspaceId).endSession(sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.json({ ok: true });
  })

  .get("/me", async (c) => {
    const [workspace] = await c.var.db
      .select({ id: workspaces.id, name: workspaces.name })
      .from(workspaces)
      .where(eq(workspaces.id, c.var.operator.workspaceId));
    return c.json({ operator: c.var.operator, workspace });
  })

  .get("/sessions", async (c) => {
    const rows = await c.var.db
      .select({
        id: sessions.id,
        userAgent: sessions.userAgent,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
      })
      .from(sessions)
      .where(and(eq(sessions.operatorId, c.var.operator.id), isNull(sessions.revokedAt)))
      .orderBy(desc(sessions.createdAt));
    return c.json({ sessions: rows.map((s) => ({ ...s, current: s.id === c.var.operator.sessionId })) });
  })

  .delete("/sessions/:id", async (c) => {
    const sessionId = c.req.param("id");
    const workspaceId = await revokeSession(c.var.db, c.var.operator.id, sessionId);
    if (!workspaceId) return apiError(c, 404, "not_found", "no such active session");
    await inboxRoom(c.env, workspaceId).endSession(sessionId);
    return c.json({ ok: true });
  })

  /** The inbox snapshot: open conversations and the event version they are current to. */
  .get("/inbox", async (c) => {
    const { db, operator } = c.var;
    // Read the version first: anything that changes after it is replayed by the Inbox room.
    const [{ version }] = await db
      .select({ version: max(events.id) })
      .from(events)
      .where(eq(events.workspaceId, operator.workspaceId));
    const open = await readOpenSummaries(db, operator.workspaceId);
    return c.json({ version: version ?? 0, conversations: open });
  })

  .get("/conversations", validate("query", ConversationListQuery), async (c) => {
    const { db, operator } = c.var;
    const filter = c.req.valid("query").status ?? "open";
    return c.json({ conversations: await readSummaries(db, operator.workspaceId, filter, operator.id) });
  })

  // A conversation of another workspace answers exactly like one that does not exist.
  .use("/conversations/:id/*", async (c, next) => {
    const [own] = await c.var.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.id, c.req.param("id")), eq(conversations.workspaceId, c.var.operator.workspaceId)))
      .limit(1);
    if (!own) return apiError(c, 404, "not_found", "no such conversation");
    await next();
  })

  .get("/conversations/:id", async (c) => {
    const detail = await readConversationDetail(c.var.db, c.var.operator.workspaceId, c.req.param("id"));
    if (!detail) return apiError(c, 404, "not_found", "no such conversation");
    return c.json(detail);
  })

  .get("/conversations/:id/messages", validate("query", MessagesQuery), async (c) => {
    const { before, limit } = c.req.valid("query");
    return c.json(await readMessagesBefore(c.var.db, c.req.param("id"), before, limit ?? 50));
  })

  .post("/conversations/:id/messages", validate("json", SendMessageBody), async (c) => {
    const { clientMsgId, body } = c.req.valid("json");
    const room = conversationRoom(c.env, c.req.param("id"));
    const result = await room.post(c.var.operator, clientMsgId, body);
    if (!result.ok) return apiError(c, result.status, result.code, result.message);
    return c.json({ message: result.message, duplicate: result.duplicate }, result.duplicate ? 200 : 201);
  })

  .post("/conversations/:id/claim", async (c) => {
    const room = conversationRoom(c.env, c.req.param("id"));
    const result = await room.claim(c.var.operator);
    if (!result.ok) return apiError(c, result.status, result.code, result.message);
    return c.json({ conversation: result.conversation });
  })

  // Anyone may close their own or an unassigned conversation; someone else's needs a supervisor (the room checks).
  .post("/conversations/:id/close", async (c) => {
    const room = conversationRoom(c.env, c.req.param("id"));
    const result = await room.close(c.var.operator);
    if (!result.ok) return apiError(c, result.status, result.code, result.message);
    return c.json({ conversation: result.conversation });
  });

