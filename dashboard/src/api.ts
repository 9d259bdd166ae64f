import { hc } from "hono/client";
import type { AppType } from "../../worker/src/app";

/** The operators' API, same origin, the session cookie goes along by itself. */
export const api = hc<AppType>("/").api.ops;

/** What the server said went wrong, from any of our JSON error answers, as a sentence ("Already taken by Sam"). */
export async function errorMessage(response: Response): Promise<string> {
  let message = `request failed (${response.status})`;
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    message = body.error?.message ?? message;
  } catch {
    // Not our JSON (a proxy's error page, say): the status is all there is.
  }
  return message.charAt(0).toUpperCase() + message.slice(1) + ".";
}

/** Shown when a request never got an answer. */
export const OFFLINE = "Cannot reach Tandem. Check your connection and try again.";
