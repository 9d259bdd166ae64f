import { SearchQuery } from "@tandem/protocol";
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { requireOperator, type OperatorVariables } from "../auth/operator";
import type { Env } from "../env";
import { searchConversations, SEARCH_LIMIT } from "../search/search-conversations";
import { validate } from "../validate";

/** Search (D10): every operator searches their own workspace's conversations, and only those. */
export const searchRoutes = new Hono<{ Bindings: Env; Variables: OperatorVariables }>()
  .use(csrf())
  .use("*", requireOperator())
  .get("/", validate("query", SearchQuery), async (c) => {
    const { q } = c.req.valid("query");
    const results = await searchConversations(c.var.db, c.var.operator.workspaceId, q);
    return c.json({ results, capped: results.length === SEARCH_LIMIT });
  });
