import { vValidator } from "@hono/valibot-validator";
import { wellFormed } from "@tandem/protocol";
import type { ValidationTargets } from "hono";
import type * as v from "valibot";
import { apiError } from "./http-error";

/**
 * `vValidator` that answers a bad request with our error shape and the first
 * problem, spelled out. Text that is not well-formed Unicode is refused
 * before the schema looks at it (libSQL could not store it).
 */
export function validate<T extends v.GenericSchema, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  // Typed as `schema` so `hc` clients keep its input type; at run time the check comes first.
  return vValidator(target, wellFormed(schema) as unknown as T, (result, c) => {
    if (result.success) return;
    const issue = result.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join(".");
    return apiError(c, 400, "invalid_request", path ? `${path}: ${issue.message}` : issue.message);
  });
}
