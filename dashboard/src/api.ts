import { hc } from "hono/client";
import type { AppType } from "../../worker/src/app";

/** The operators' API, same origin, the session cookie goes along by itself. */
export const api = hc<AppType>("/").api.ops;

/** What the server said went wrong, from any of our JSON error answers. */
export async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? `request failed (${response.status})`;
  } catch {
    return `request failed (${response.status})`;
  }
}
