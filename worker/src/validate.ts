import { vValidator } from "@hono/valibot-validator";
import type { ValidationTargets } from "hono";
import type * as v from "valibot";
import { apiError } from "./http-error";

/** `vValidator` that answers a bad request with our error shape and the first problem, spelled out. */
export function validate<T extends v.GenericSchema, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return vValidator(target, schema, (result, c) => {
    if (result.success) return;
    const issue = result.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join(".");
    return apiError(c, 400, "invalid_request", path ? `${path}: ${issue.message}` : issue.message);
  });
}
