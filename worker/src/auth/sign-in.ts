import type { Context } from "hono";
import { setCookie } from "hono/cookie";
import type { Db } from "../db/client";
import type { OperatorActor } from "./actor";
import { createSession, SESSION_COOKIE, SESSION_TTL_MS } from "./session";

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
