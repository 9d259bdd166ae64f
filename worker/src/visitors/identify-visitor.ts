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
  | { ok: true; contact: ContactDetails; verified: boolean }
  | { ok: false; code: "bad_identity_hash" | "identity_required"; message: string };

/**
 * `Tandem('identify', …)` from the host page (W15, S2). With a good hash the
 * site vouches for `id`: the visitor joins the contact known by that id. Without
 * one, nothing proves who this is, so only the visitor's own contact gets the
 * name and e-mail — joining another contact would hand its history to anyone
 * who knows an id.
 */
export async function identifyVisitor(db: Db, visitor: VisitorActor, identity: Identity): Promise<Identified> {
  const [site] = await db
    .select({ secret: sites.identitySecret, required: sites.identityRequired })
    .from(sites)
    .where(and(eq(sites.id, visitor.siteId), eq(sites.workspaceId, visitor.workspaceId)))
    .limit(1);
  const verified = identity.hash !== undefined;
  if (verified && !(site && (await verifyHmacHex(site.secret, identity.id, identity.hash!)))) {
    return { ok: false, code: "bad_identity_hash", message: "the identify hash does not match this id; sign the id with the site's identity secret" };
  }
  if (!verified && site?.required) {
    return { ok: false, code: "identity_required", message: "this site accepts identify only with a hash of the id" };
  }

  const at = Date.now();
  const contactId = verified ? await contactFor(db, visitor, identity.id, at) : visitor.contactId;
  const details = { ...(identity.name ? { name: identity.name } : {}), ...(identity.email ? { email: identity.email } : {}) };
  const moved = contactId !== visitor.contactId;

  const [, , , [contact]] = await db.batch([
    db.update(contacts).set({ ...details, updatedAt: at }).where(eq(contacts.id, contactId)),
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
 * The contact known by `externalId`. When there is none, the visitor's own
 * contact takes the id if it has none yet (an anonymous customer who signs in),
 * else a new contact is made (another person signed in on this browser). An
 * anonymous contact's conversations from this browser follow the customer.
 */
async function contactFor(db: Db, visitor: VisitorActor, externalId: string, at: number): Promise<string> {
  const byExternalId = and(eq(contacts.workspaceId, visitor.workspaceId), eq(contacts.externalId, externalId));
  const [[known], [current]] = await db.batch([
    db.select({ id: contacts.id }).from(contacts).where(byExternalId).limit(1),
    db.select({ externalId: contacts.externalId }).from(contacts).where(eq(contacts.id, visitor.contactId)).limit(1),
  ]);
  const anonymous = current !== undefined && current.externalId === null;

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
