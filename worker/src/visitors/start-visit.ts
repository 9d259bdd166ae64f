import { newId } from "@tandem/protocol";
import { eq } from "drizzle-orm";
import type { VisitorActor } from "../auth/actor";
import { signVisitorToken, verifyVisitorToken } from "../auth/visitor-token";
import type { Db } from "../db/client";
import { contacts, sites, visitors } from "../db/schema";

export type Visit = { token: string; visitor: VisitorActor; site: { id: string; name: string } };

/**
 * The widget's first call on a page: the visitor behind a still-good token for
 * this site, or a new visitor (and contact) with a fresh token. Null when the
 * site key is unknown.
 */
export async function startVisit(db: Db, secret: string, siteKey: string, token?: string): Promise<Visit | null> {
  const [site] = await db
    .select({ id: sites.id, name: sites.name, workspaceId: sites.workspaceId })
    .from(sites)
    .where(eq(sites.publicKey, siteKey))
    .limit(1);
  if (!site) return null;
  const now = Date.now();

  const known = token ? await verifyVisitorToken(secret, token) : null;
  if (known && known.siteId === site.id) {
    const updated = await db
      .update(visitors)
      .set({ lastSeenAt: now })
      .where(eq(visitors.id, known.id))
      .returning({ id: visitors.id });
    if (updated.length > 0) return { token: token!, visitor: known, site: { id: site.id, name: site.name } };
  }

  const contactId = newId(now);
  const visitor: VisitorActor = {
    kind: "visitor",
    id: newId(now),
    workspaceId: site.workspaceId,
    siteId: site.id,
    contactId,
  };
  await db.batch([
    db.insert(contacts).values({ id: contactId, workspaceId: site.workspaceId, createdAt: now, updatedAt: now }),
    db.insert(visitors).values({
      id: visitor.id,
      workspaceId: site.workspaceId,
      siteId: site.id,
      contactId,
      createdAt: now,
      lastSeenAt: now,
    }),
  ]);
  return { token: await signVisitorToken(secret, visitor), visitor, site: { id: site.id, name: site.name } };
}
