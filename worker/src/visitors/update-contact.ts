import { and, eq } from "drizzle-orm";
import type { VisitorActor } from "../auth/actor";
import type { Db } from "../db/client";
import { contacts } from "../db/schema";
import { contactColumns, type ContactDetails } from "./contact";
import { recordVisitorEvent } from "./contact-events";

export type ContactChange = Partial<Record<keyof ContactDetails, string>>;

/**
 * Stores what the customer told about themselves on their contact, and logs
 * which fields changed (none changed: nothing is written).
 */
export async function updateContact(db: Db, visitor: VisitorActor, change: ContactChange): Promise<ContactDetails | null> {
  const where = and(eq(contacts.id, visitor.contactId), eq(contacts.workspaceId, visitor.workspaceId));
  const [current] = await db.select(contactColumns).from(contacts).where(where).limit(1);
  if (!current) return null;
  const changed = (Object.keys(change) as (keyof ContactDetails)[]).filter(
    (field) => change[field] !== undefined && change[field] !== current[field],
  );
  if (changed.length === 0) return current;

  const at = Date.now();
  const set = Object.fromEntries(changed.map((field) => [field, change[field]]));
  await db.batch([
    db.update(contacts).set({ ...set, updatedAt: at }).where(where),
    recordVisitorEvent(db, visitor, "contact_updated", { contactId: visitor.contactId, fields: changed }, at),
  ]);
  return { ...current, ...set };
}
