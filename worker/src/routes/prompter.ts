import { PrompterFeedbackBody, type PrompterSuggestions } from "@tandem/protocol";
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { requireOperator, type OperatorVariables } from "../auth/operator";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { recordFeedback, suggest } from "../prompter";
import { validate } from "../validate";

/**
 * The prompter (D9, B6): any operator of the workspace may read suggestions
 * for a conversation and say what they made of one. Another workspace's
 * conversation or intent is 404.
 */
export const prompterRoutes = new Hono<{ Bindings: Env; Variables: OperatorVariables }>()
  .use(csrf())
  .use("*", requireOperator())
  .get("/conversations/:id/suggestions", async (c) => {
    const found = await suggest(c.var.db, c.var.operator.workspaceId, c.req.param("id"));
    if (!found) return apiError(c, 404, "not_found", "no such conversation");
    return c.json<PrompterSuggestions>(found);
  })
  .post("/conversations/:id/feedback", validate("json", PrompterFeedbackBody), async (c) => {
    const { workspaceId, id: operatorId } = c.var.operator;
    const result = await recordFeedback(c.var.db, { workspaceId, operatorId }, c.req.param("id"), c.req.valid("json"));
    if ("missing" in result) return apiError(c, 404, "not_found", `no such ${result.missing}`);
    return c.json(result, 201);
  });
