import { SearchQuery } from "@tandem/protocol";
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { requireOperator, type OperatorVariables } from "../auth/operator";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { searchConversations, SEARCH_LIMIT } from "../search/search-conversations";
import { validate } from "../validate";

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Search (D10): every operator searches their own workspace's conversations, and only those. */
export const searchRoutes = new Hono<{ Bindings: Env; Variables: OperatorVariables }>()
  .use(csrf())
  .use("*", requireOperator())
  .get("/", validate("query", SearchQuery), async (c) => {
    const { q } = c.req.valid("query");
    // Nobody types them, and a NUL would end SQLite's LIKE pattern early: "%00%00" matched everything.
    if (CONTROL_CHARACTER.test(q)) return apiError(c, 400, "invalid_request", "q: control characters (such as NUL) cannot be searched for");
    const results = await searchConversations(c.var.db, c.var.operator.workspaceId, q);
    return c.json({ results, capped: results.length === SEARCH_LIMIT });
  });
