import type { Context } from "hono";
import { setCookie } from "hono/cookie";
import type { Db } from "../db/client";
import type { Env } from "../env";
import { clientAddress } from "../http/client-address";
import { apiError } from "../http-error";
import type { OperatorActor } from "./actor";
import { createSession, SESSION_COOKIE, SESSION_TTL_MS } from "./session";
import { startAttempt } from "./throttle";

/**
 * Counts a password attempt for this e-mail from this client's address (see
 * auth/throttle.ts), or the 429 to answer when either is locked. Counted
 * whether or not the e-mail has an account, so a lock tells nothing about who exists.
 */
export async function startPasswordAttempt<E extends { Bindings: Env }>(c: Context<E>, db: Db, email: string) {
  const started = await startAttempt(db, { email, address: clientAddress(c.req.raw, c.env) });
  if ("attempt" in started) return { attempt: started.attempt, refusal: null };
  c.header("Retry-After", String(Math.ceil(started.retryAfterMs / 1000)));
  const minutes = Math.ceil(started.retryAfterMs / 60_000);
  const refusal = apiError(c, 429, "too_many_attempts", `too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`);
  return { attempt: null, refusal };
}

/** Starts a session in one workspace and hands its secret to the browser as an HttpOnly cookie. */
export async function signInAs(
  c: Context,
  db: Db,
  operator: { id: string; name: string },
  membership: { workspaceId: string; role: OperatorActor["role"] },
): Promise<OperatorActor> {
  const session = await createSession(db, {
    operatorId: operator.id,
    workspaceId: membership.workspaceId,
    userAgent: c.req.header("user-agent") ?? null,
  });
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: new URL(c.req.url).protocol === "https:",
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
  return { kind: "operator", id: operator.id, name: operator.name, sessionId: session.id, ...membership };
}
