import { UnansweredAddBody, UnansweredDismissBody, type UnansweredHandled, type UnansweredList } from "@tandem/protocol";
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { requireOperator, type OperatorVariables } from "../auth/operator";
import { requireRole } from "../auth/roles";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { KnowledgeError } from "../knowledge";
import { kickEmbedder } from "../rooms";
import { addToIntent, dismiss, listGroups } from "../unanswered";
import { validate } from "../validate";

/**
 * Questions the bot could not answer (B5). Any operator may read the list;
 * adding to the knowledge base or dismissing is for admins and owners, as
 * with every other knowledge base change. Another workspace's ids are 404.
 */
export const unansweredRoutes = new Hono<{ Bindings: Env; Variables: OperatorVariables }>()
  .use(csrf())
  .use("*", requireOperator())
  .onError((error, c) => {
    if (error instanceof KnowledgeError) return apiError(c, error.status, error.code, error.message);
    throw error;
  })
  .get("/", async (c) => {
    const groups = await listGroups(c.var.db, c.var.operator.workspaceId);
    return c.json<UnansweredList>({ groups });
  })
  .post("/:id/add", requireRole("admin"), validate("json", UnansweredAddBody), async (c) => {
    const { intentId, all } = c.req.valid("json");
    const handled = await addToIntent(c.var.db, c.var.operator.workspaceId, c.req.param("id"), intentId, all);
    // New phrasings: the workspace's embedder makes their vectors (issue 19).
    await kickEmbedder(c.env, c.var.operator.workspaceId);
    return c.json<UnansweredHandled>({ handled });
  })
  .post("/:id/dismiss", requireRole("admin"), validate("json", UnansweredDismissBody), async (c) => {
    const handled = await dismiss(c.var.db, c.var.operator.workspaceId, c.req.param("id"), c.req.valid("json").all);
    return c.json<UnansweredHandled>({ handled });
  });
