import type { ApiError } from "@tandem/protocol";
import type { Context } from "hono";
import type { ClientErrorStatusCode } from "hono/utils/http-status";

/** A JSON error answer: `{error: {code, message}}`. Its 4xx/500 status lets `hc` clients narrow on `res.ok`. */
export function apiError(c: Context, status: ClientErrorStatusCode | 500, code: string, message: string) {
  return c.json<ApiError, typeof status>({ error: { code, message } }, status);
}
