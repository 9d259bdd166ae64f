import type { ApiError } from "@tandem/protocol";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** A JSON error answer: `{error: {code, message}}` with a 4xx status. */
export function apiError(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json<ApiError>({ error: { code, message } }, status);
}
