import type { MiddlewareHandler } from "hono";
import { apiError } from "../http-error";
import type { OperatorActor } from "./actor";
import type { OperatorVariables } from "./operator";

export type Role = OperatorActor["role"];

const RANK: Record<Role, number> = { operator: 0, supervisor: 1, admin: 2, owner: 3 };

/** Owner ⊇ admin ⊇ supervisor ⊇ operator: each role may do what the ones below it may. */
export function hasRole(actor: { role: Role }, least: Role): boolean {
  return RANK[actor.role] >= RANK[least];
}

/** Lets through a signed-in operator whose role is at least `least` (after requireOperator). */
export function requireRole(least: Role): MiddlewareHandler<{ Variables: OperatorVariables }> {
  return async (c, next) => {
    if (!hasRole(c.var.operator, least)) return apiError(c, 403, "forbidden", `this needs the ${least} role or higher`);
    await next();
  };
}
