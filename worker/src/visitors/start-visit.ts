import { newId } from "@tandem/protocol";
import { and, eq, isNull } from "drizzle-orm";
import type { VisitorActor } from "../auth/actor";
import { signVisitorToken, verifyVisitorToken } from "../auth/visitor-token";
import type { Db } from "../db/client";
import { contacts, visitors } from "../db/schema";
import type { Site } from "../sites/load-site";
import { contactColumns, type ContactDetails } from "./contact";

export type Visit = { token: string; visitor: VisitorActor; contact: ContactDetails };

/**
 * The widget's first call on a page: the visitor behind a still-good token for
 * this site, or a new visitor (and contact). Either way the token comes back
 * freshly signed: this renewal is what keeps a returning customer's token
 * from expiring, and an expired or signed-out one starts a new visitor.
 */
export async function startVisit(db: Db, secret: string, site: Site, token?: string): Promise<Visit> {
  const now = Date.now();

  const known = token ? await verifyVisitorToken(secret, token, now) : null;
  if (known && known.siteId === site.id && known.workspaceId === site.workspaceId) {
    const [, [row]] = await db.batch([
      db.update(visitors).set({ lastSeenAt: now }).where(and(eq(visitors.id, known.id), isNull(visitors.revokedAt))),
      db
        .select({ contactId: visitors.contactId, ...contactColumns })
        .from(visitors)
        .innerJoin(contacts, eq(contacts.id, visitors.contactId))
        .where(and(eq(visitors.id, known.id), eq(visitors.siteId, site.id), isNull(visitors.revokedAt))),
    ]);
    if (row) {
      // An identify may have moved the visitor to another contact since the token was signed.
      const { contactId, ...contact } = row;
      const visitor = { ...known, contactId };
      return { token: await signVisitorToken(secret, visitor, now), visitor, contact };
    }
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
  return { token: await signVisitorToken(secret, visitor, now), visitor, contact: { name: null, email: null, phone: null } };
}
