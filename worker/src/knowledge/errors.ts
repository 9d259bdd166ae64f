import type { ClientErrorStatusCode } from "hono/utils/http-status";

/** A refusal the API passes on as `{error: {code, message}}` with its status. */
export class KnowledgeError extends Error {
  constructor(
    readonly status: ClientErrorStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
