import { and, eq } from "drizzle-orm";
import type { OperatorActor } from "../auth/actor";
import { randomToken } from "../auth/crypto";
import type { Db } from "../db/client";
import { events, sites } from "../db/schema";
import type { Env } from "../env";
import { signOutVerifiedVisitors } from "../visitors/sign-out";

const inWorkspace = (siteId: string, workspaceId: string) => and(eq(sites.id, siteId), eq(sites.workspaceId, workspaceId));

/** The secret a site signs identify calls with (the hash is hex HMAC-SHA256 of the id); null for another workspace's site. */
export async function readIdentitySecret(db: Db, workspaceId: string, siteId: string): Promise<string | null> {
  const [row] = await db.select({ secret: sites.identitySecret }).from(sites).where(inWorkspace(siteId, workspaceId)).limit(1);
  return row?.secret ?? null;
}

/**
 * A new identity secret, in force at once: an identify signed with the old
 * one is refused from now on. Customers already identified stay who they are
 * (their visitor tokens are Tandem's, not signed with this secret), unless
 * `signOutVerified`: for a secret that leaked, every visitor of the site whom
 * a hash made someone known is signed out, so an impersonator loses the chat
 * too, and the real customer becomes that person again with the next identify
 * their page makes with the new secret. Null for another workspace's site.
 */
export async function rotateIdentitySecret(
  db: Db,
  env: Env,
  operator: OperatorActor,
  siteId: string,
  signOutVerified: boolean,
): Promise<{ secret: string; signedOut: number } | null> {
  if ((await readIdentitySecret(db, operator.workspaceId, siteId)) === null) return null;
  const at = Date.now();
  const secret = randomToken(32);
  await db.batch([
    db.update(sites).set({ identitySecret: secret }).where(inWorkspace(siteId, operator.workspaceId)),
    // Who rotated it and when, never the secret itself.
    db.insert(events).values({
      workspaceId: operator.workspaceId,
      conversationId: null,
      type: "identity_secret_rotated",
      actorKind: "operator",
      actorId: operator.id,
      data: { siteId, signOutVerified },
      at,
    }),
  ]);
  const signedOut = signOutVerified ? await signOutVerifiedVisitors(db, env, { id: siteId, workspaceId: operator.workspaceId }) : 0;
  return { secret, signedOut };
}
