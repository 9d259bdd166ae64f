import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { requireOperator, type OperatorVariables } from "../auth/operator";
import type { Env } from "../env";

// PLACEHOLDER (issue 4): the helper that owns this file fills it in.
export const workbenchRoutes = new Hono<{ Bindings: Env; Variables: OperatorVariables }>().use(csrf()).use("*", requireOperator());
