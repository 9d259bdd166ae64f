import { PresenceBody, TransferBody } from "@tandem/protocol";
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { requireOperator, type OperatorVariables } from "../auth/operator";
import { requireRole } from "../auth/roles";
import { readOpenSummaries } from "../conversations/summaries";
import { conversations } from "../db/schema";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { conversationRoom, inboxRoom } from "../rooms";
import { activeOperator, findGroup, latestDecision, readGroups, readOperatorLoads } from "../routing/overview";
import { changePresence, readPresence } from "../routing/presence";
import { validate } from "../validate";

/** Queue, routing and presence (D2, D3), transfer (D7), reopen (D8), the supervisor's overview (D11). */
export const routingRoutes = new Hono<{ Bindings: Env; Variables: OperatorVariables }>()
  .use(csrf())
  .use("*", requireOperator())

  .get("/presence", async (c) => {
    const { db, operator } = c.var;
    return c.json((await readPresence(db, operator.workspaceId, operator.id)) ?? { presence: "offline" as const, presenceAt: null });
  })

  /** The operator sets their own presence; dashboards hear of it, and chats move as it implies. */
  .put("/presence", validate("json", PresenceBody), async (c) => {
    const { db, operator } = c.var;
    const { presence } = c.req.valid("json");
    const change = await changePresence(c.env, db, operator.workspaceId, operator.id, presence, operator, "set by the operator");
    // Told even when unchanged: it records that this was the operator's own choice.
    await inboxRoom(c.env, operator.workspaceId).presenceChanged(operator.id, presence, change.at, true);
    return c.json({ presence, presenceAt: change.at, returned: change.returned });
  })

  /** Where a conversation can be transferred: the workspace's groups and active operators with their load. */
  .get("/targets", async (c) => {
    const { db, operator } = c.var;
    const [groups, operators] = await Promise.all([readGroups(db, operator.workspaceId), readOperatorLoads(db, operator.workspaceId)]);
    return c.json({ groups, operators });
  })

  .get("/overview", requireRole("supervisor"), async (c) => {
    const { db, operator } = c.var;
    const [groups, operators, open] = await Promise.all([
      readGroups(db, operator.workspaceId),
      readOperatorLoads(db, operator.workspaceId),
      readOpenSummaries(db, operator.workspaceId),
    ]);
    return c.json({ groups, operators, conversations: open });
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

  /** Why the conversation went where it is (its latest routing decision), or null. */
  .get("/conversations/:id/decision", async (c) => {
    return c.json({ decision: await latestDecision(c.var.db, c.req.param("id")) });
  })

  .post("/conversations/:id/transfer", validate("json", TransferBody), async (c) => {
    const { db, operator } = c.var;
    const { groupId, operatorId, note } = c.req.valid("json");
    const target = operatorId
      ? await activeOperator(db, operator.workspaceId, operatorId)
      : await findGroup(db, operator.workspaceId, groupId!);
    if (!target) return apiError(c, 404, "not_found", operatorId ? "no such active operator" : "no such group");
    const room = conversationRoom(c.env, c.req.param("id"));
    const kind = operatorId ? ("operator" as const) : ("group" as const);
    const result = await room.transfer(operator, { kind, id: target.id, name: target.name }, note || null);
    if (!result.ok) return apiError(c, result.status, result.code, result.message);
    return c.json({ conversation: result.conversation });
  })

  .post("/conversations/:id/reopen", async (c) => {
    const result = await conversationRoom(c.env, c.req.param("id")).reopen(c.var.operator);
    if (!result.ok) return apiError(c, result.status, result.code, result.message);
    return c.json({ conversation: result.conversation });
  });
