import { hasRole, type OperatorRole as Role } from "@tandem/protocol";
import type { MiddlewareHandler } from "hono";
import { apiError } from "../http-error";
import type { OperatorVariables } from "./operator";

export { hasRole, type Role };

/** Lets through a signed-in operator whose role is at least `least` (after requireOperator). */
export function requireRole(least: Role): MiddlewareHandler<{ Variables: OperatorVariables }> {
  return async (c, next) => {
    if (!hasRole(c.var.operator, least)) return apiError(c, 403, "forbidden", `this needs the ${least} role or higher`);
    await next();
  };
}
