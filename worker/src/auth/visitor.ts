import type { MiddlewareHandler } from "hono";
import type { Db } from "../db/client";
import type { Env } from "../env";
import { apiError } from "../http-error";
import type { VisitorActor } from "./actor";
import { verifyVisitorToken } from "./visitor-token";

export type VisitorVariables = { db: Db; visitor: VisitorActor };

/** Reads the widget's `Authorization: Bearer <visitor token>` and names the visitor as `c.var.visitor`. */
export function requireVisitor(): MiddlewareHandler<{ Bindings: Env; Variables: VisitorVariables }> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    const visitor = token ? await verifyVisitorToken(c.env.TANDEM_SECRET, token) : null;
    if (!visitor) return apiError(c, 401, "unauthenticated", "a valid visitor token is required");
    c.set("visitor", visitor);
    await next();
  };
}
