import type { ContactConversation, ContactEditBody } from "@tandem/protocol";
import { and, desc, eq } from "drizzle-orm";
import type { OperatorActor } from "../auth/actor";
import type { Db } from "../db/client";
import { contacts, conversations } from "../db/schema";
import { identityColumns } from "../visitors/contact";
import { recordOperatorEvent } from "./workbench-events";

/** The customer card: their details, and which of them the site vouched for (identify with a hash). */
export type ContactCard = {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  verified: boolean;
  nameVerified: boolean;
  emailVerified: boolean;
};

const columns = { id: contacts.id, name: contacts.name, email: contacts.email, phone: contacts.phone, ...identityColumns };

/**
 * An operator corrects the customer's details. Each changed field goes into
 * one `contact_edited` event with its old and new value; null when the contact
 * is not in the operator's workspace. A field the operator changes is theirs,
 * no longer what the site vouched for, and the card says so.
 */
export async function editContact(db: Db, operator: OperatorActor, contactId: string, edit: ContactEditBody): Promise<ContactCard | null> {
  const where = and(eq(contacts.id, contactId), eq(contacts.workspaceId, operator.workspaceId));
  const [current] = await db.select(columns).from(contacts).where(where).limit(1);
  if (!current) return null;
  const fields = (["name", "email", "phone"] as const).filter((f) => edit[f] !== undefined && edit[f] !== current[f]);
  if (fields.length === 0) return current;

  const at = Date.now();
  const set = Object.fromEntries(fields.map((f) => [f, edit[f]]));
  const changes = Object.fromEntries(fields.map((f) => [f, { from: current[f], to: edit[f] }]));
  const [, , [card]] = await db.batch([
    db.update(contacts).set({ ...set, updatedAt: at }).where(where),
    recordOperatorEvent(db, operator, "contact_edited", null, { contactId, changes }, at),
    db.select(columns).from(contacts).where(where),
  ]);
  return card ?? null;
}

/** The contact's conversations, newest first; null when the contact is not in the workspace. */
export async function readContactConversations(db: Db, workspaceId: string, contactId: string): Promise<ContactConversation[] | null> {
  const [[contact], rows] = await db.batch([
    db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.id, contactId), eq(contacts.workspaceId, workspaceId))).limit(1),
    db
      .select({
        id: conversations.id,
        status: conversations.status,
        topic: conversations.topic,
        preview: conversations.preview,
        createdAt: conversations.createdAt,
        closedAt: conversations.closedAt,
      })
      .from(conversations)
      .where(and(eq(conversations.contactId, contactId), eq(conversations.workspaceId, workspaceId)))
      .orderBy(desc(conversations.createdAt))
      .limit(50),
  ]);
  return contact ? rows : null;
}
