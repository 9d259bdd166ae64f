import { and, eq } from "drizzle-orm";
import type { VisitorActor } from "../auth/actor";
import type { Db } from "../db/client";
import { contacts } from "../db/schema";
import { contactColumns, identityColumns, type ContactDetails } from "./contact";
import { recordVisitorEvent } from "./contact-events";

export type ContactChange = Partial<Record<keyof ContactDetails, string>>;

export type ContactUpdated =
  | { ok: true; contact: ContactDetails }
  | { ok: false; code: "not_found" | "verified_by_site"; message: string };

/**
 * Stores what the customer told about themselves on their contact, and logs
 * which fields changed (none changed: nothing is written). It is the
 * customer's word: the card shows it as unverified, and no contact is ever
 * found or joined by it. A name or e-mail the site vouched for (identify with
 * a hash) is not the customer's to change from the chat.
 */
export async function updateContact(db: Db, visitor: VisitorActor, change: ContactChange): Promise<ContactUpdated> {
  const where = and(eq(contacts.id, visitor.contactId), eq(contacts.workspaceId, visitor.workspaceId));
  const [row] = await db
    .select({ ...contactColumns, nameVerified: identityColumns.nameVerified, emailVerified: identityColumns.emailVerified })
    .from(contacts)
    .where(where)
    .limit(1);
  if (!row) return { ok: false, code: "not_found", message: "this visitor's contact no longer exists" };
  const { nameVerified, emailVerified, ...current } = row;
  const changed = (Object.keys(change) as (keyof ContactDetails)[]).filter(
    (field) => change[field] !== undefined && change[field] !== current[field],
  );
  const locked = changed.filter((field) => (field === "name" && nameVerified) || (field === "email" && emailVerified));
  if (locked.length > 0) {
    return { ok: false, code: "verified_by_site", message: `the site gave this ${locked.map((f) => (f === "email" ? "e-mail" : f)).join(" and ")} when the customer signed in; it cannot be changed from the chat` };
  }
  if (changed.length === 0) return { ok: true, contact: current };

  const at = Date.now();
  const set = Object.fromEntries(changed.map((field) => [field, change[field]]));
  await db.batch([
    db.update(contacts).set({ ...set, updatedAt: at }).where(where),
    recordVisitorEvent(db, visitor, "contact_updated", { contactId: visitor.contactId, fields: changed }, at),
  ]);
  return { ok: true, contact: { ...current, ...set } };
}
