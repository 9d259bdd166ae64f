import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Db } from "../db/client";
import { apiError } from "../http-error";
import type { OperatorActor } from "./actor";
import { readSession, SESSION_COOKIE } from "./session";

export type OperatorVariables = { db: Db; operator: OperatorActor };

/** Lets through only a signed-in operator, and names them as `c.var.operator`. */
export function requireOperator(): MiddlewareHandler<{ Variables: OperatorVariables }> {
  return async (c, next) => {
    const operator = await readSession(c.var.db, getCookie(c, SESSION_COOKIE));
    if (!operator) return apiError(c, 401, "unauthenticated", "sign in first");
    c.set("operator", operator);
    await next();
  };
}

/** Same-origin check for cookie-authenticated requests that cannot carry a CSRF token, such as WebSocket upgrades. */
export function isSameOrigin(c: Context | Request): boolean {
  const request = c instanceof Request ? c : c.req.raw;
  const origin = request.headers.get("origin");
  return origin === null || origin === new URL(request.url).origin;
}
