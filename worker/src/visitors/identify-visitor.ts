import { newId } from "@tandem/protocol";
import { and, eq, isNull } from "drizzle-orm";
import type { VisitorActor } from "../auth/actor";
import { verifyHmacHex } from "../auth/crypto";
import type { Db } from "../db/client";
import { contacts, conversations, sites, visitors } from "../db/schema";
import { contactColumns, type ContactDetails } from "./contact";
import { recordVisitorEvent } from "./contact-events";

export type Identity = { id: string; name?: string; email?: string; hash?: string };

export type Identified =
  | {
      ok: true;
      contact: ContactDetails;
      verified: boolean;
      /** Set when another person signed in on this browser: from now on the browser is this new visitor. */
      switchedTo?: VisitorActor;
    }
  | { ok: false; code: "bad_identity_hash" | "identity_required"; message: string };

/**
 * `Tandem('identify', …)` from the host page (W15, S2). With a good hash the
 * site vouches for `id`: the visitor joins the contact known by that id, or,
 * when the visitor already belongs to another vouched-for person, the browser
 * becomes a new visitor of that id. Without a hash nothing proves who this is,
 * so only an anonymous contact of the visitor's own gets the name and e-mail —
 * joining another contact would hand its history to anyone who knows an id.
 */
export async function identifyVisitor(db: Db, visitor: VisitorActor, identity: Identity): Promise<Identified> {
  const [[site], [current]] = await db.batch([
    db
      .select({ secret: sites.identitySecret, required: sites.identityRequired })
      .from(sites)
      .where(and(eq(sites.id, visitor.siteId), eq(sites.workspaceId, visitor.workspaceId)))
      .limit(1),
    db.select({ externalId: contacts.externalId, ...contactColumns }).from(contacts).where(eq(contacts.id, visitor.contactId)).limit(1),
  ]);
  const verified = identity.hash !== undefined;
  if (verified && !(site && (await verifyHmacHex(site.secret, identity.id, identity.hash!)))) {
    return { ok: false, code: "bad_identity_hash", message: "the identify hash does not match this id; sign the id with the site's identity secret" };
  }
  if (!verified && site?.required) {
    return { ok: false, code: "identity_required", message: "this site accepts identify only with a hash of the id" };
  }

  const at = Date.now();
  const details = { ...(identity.name ? { name: identity.name } : {}), ...(identity.email ? { email: identity.email } : {}) };
  const knownPerson = current !== undefined && current.externalId !== null;
  // With a good hash the site vouches for the person and for what it said of them.
  const vouched = { verifiedAt: at, ...(identity.name ? { verifiedName: identity.name } : {}), ...(identity.email ? { verifiedEmail: identity.email } : {}) };

  if (!verified && knownPerson) {
    // What the site vouched for is not overwritten by a call anyone can make.
    const { externalId: _, ...contact } = current;
    return { ok: true, contact, verified };
  }
  if (verified && knownPerson && current.externalId !== identity.id) {
    return switchVisitor(db, visitor, identity.id, { ...details, ...vouched }, at);
  }

  const anonymous = current !== undefined && current.externalId === null;
  const contactId = verified ? await contactFor(db, visitor, identity.id, anonymous, at) : visitor.contactId;
  const moved = contactId !== visitor.contactId;

  const [, , , [contact]] = await db.batch([
    db.update(contacts).set({ ...details, ...(verified ? vouched : {}), updatedAt: at }).where(eq(contacts.id, contactId)),
    db.update(visitors).set({ contactId }).where(eq(visitors.id, visitor.id)),
    recordVisitorEvent(
      db,
      visitor,
      "contact_identified",
      { contactId, externalId: identity.id, verified, ...(moved ? { previousContactId: visitor.contactId } : {}) },
      at,
    ),
    db.select(contactColumns).from(contacts).where(eq(contacts.id, contactId)),
  ]);
  return { ok: true, contact: contact!, verified };
}

/**
 * Another person signed in on a browser that belongs to someone known. The
 * visitor stays with its person (its conversations are theirs, and the room
 * and the API check the visitor) but is signed out: the browser gets a new
 * visitor, of the contact known by `externalId`, and a token of the old one
 * (a copy taken earlier) no longer opens anything.
 */
async function switchVisitor(
  db: Db,
  visitor: VisitorActor,
  externalId: string,
  change: Partial<typeof contacts.$inferInsert>,
  at: number,
): Promise<Identified> {
  const contactId = await contactFor(db, visitor, externalId, false, at);
  const next: VisitorActor = { ...visitor, id: newId(at), contactId };
  const [, , , , [contact]] = await db.batch([
    db.update(contacts).set({ ...change, updatedAt: at }).where(eq(contacts.id, contactId)),
    db.update(visitors).set({ revokedAt: at }).where(eq(visitors.id, visitor.id)),
    db.insert(visitors).values({
      id: next.id,
      workspaceId: next.workspaceId,
      siteId: next.siteId,
      contactId,
      createdAt: at,
      lastSeenAt: at,
    }),
    recordVisitorEvent(
      db,
      next,
      "contact_identified",
      { contactId, externalId, verified: true, previousVisitorId: visitor.id },
      at,
    ),
    db.select(contactColumns).from(contacts).where(eq(contacts.id, contactId)),
  ]);
  return { ok: true, contact: contact!, verified: true, switchedTo: next };
}

/**
 * The contact known by `externalId`. When there is none, an anonymous
 * visitor's own contact takes the id (a customer who signs in), else a new
 * contact is made. An anonymous contact's conversations from this browser
 * follow the customer.
 */
async function contactFor(db: Db, visitor: VisitorActor, externalId: string, anonymous: boolean, at: number): Promise<string> {
  const byExternalId = and(eq(contacts.workspaceId, visitor.workspaceId), eq(contacts.externalId, externalId));
  const [known] = await db.select({ id: contacts.id }).from(contacts).where(byExternalId).limit(1);

  if (!known && anonymous) {
    // Conditional, and the unique index on (workspace, external id) stops a
    // concurrent identify from giving the same id to two contacts.
    const claimed = await db
      .update(contacts)
      .set({ externalId, updatedAt: at })
      .where(and(eq(contacts.id, visitor.contactId), isNull(contacts.externalId)))
      .returning({ id: contacts.id })
      .catch(() => []);
    if (claimed.length > 0) return visitor.contactId;
  } else if (!known) {
    await db
      .insert(contacts)
      .values({ id: newId(at), workspaceId: visitor.workspaceId, externalId, createdAt: at, updatedAt: at })
      .onConflictDoNothing();
  }

  const [target] = known ? [known] : await db.select({ id: contacts.id }).from(contacts).where(byExternalId).limit(1);
  if (!target) throw new Error("identify: the contact for this external id disappeared");
  if (anonymous && target.id !== visitor.contactId) {
    await db
      .update(conversations)
      .set({ contactId: target.id })
      .where(and(eq(conversations.visitorId, visitor.id), eq(conversations.contactId, visitor.contactId)));
  }
  return target.id;
}
