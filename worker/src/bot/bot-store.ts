import { newId } from "@tandem/protocol";
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import type { Step } from "../db/commit";
import { contacts, conversations, unanswered } from "../db/schema";
import { recordEvent } from "../events";
import type { Action, Field } from "./engine";
import type { Lang } from "./matcher";

type Ref = { id: string; workspaceId: string };

/** The customer's contact fields, for the bot's offline requests and answers. */
export async function readContact(db: Db, c: Ref) {
  const [row] = await db
    .select({ id: contacts.id, name: contacts.name, email: contacts.email, phone: contacts.phone })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(eq(conversations.id, c.id), eq(conversations.workspaceId, c.workspaceId)));
  return row ?? null;
}

/**
 * A field the bot collected (B7) goes onto the contact: name, e-mail and
 * phone into their columns (only where empty: what the customer or an
 * operator set stays), an order number into the contact's attributes.
 * Logged as a contact edit by the bot. A step: it commits with the turn.
 */
export function collectedStep(db: Db, c: Ref, contactId: string, collected: { field: Field; value: string }): Step<void> {
  const at = Date.now();
  const { field, value } = collected;
  const change =
    field === "order"
      ? sql`attributes = json_set(attributes, '$.order', ${value})`
      : field === "name"
        ? sql`name = COALESCE(name, ${value})`
        : field === "email"
          ? sql`email = COALESCE(email, ${value})`
          : sql`phone = COALESCE(phone, ${value})`;
  return {
    statements: [
      db.run(sql`UPDATE contacts SET ${change}, updated_at = ${at} WHERE id = ${contactId} AND workspace_id = ${c.workspaceId}`),
      recordEvent(db, { workspaceId: c.workspaceId, conversationId: c.id, type: "contact_edited", actorKind: "bot", actorId: null, data: { contactId, changes: { [field]: { to: value } } }, at }),
    ],
    read: () => undefined,
  };
}

/**
 * What the bot decided: its state for the next message, and for the
 * dashboard and analytics its intent, its misses and the question it could
 * not answer (none when the turn came from a button, not a question). A
 * step: it commits with the bot's reply (DESIGN's write budget).
 */
export function turnStep(db: Db, c: Ref, turn: Action, question: { text: string; seq: number; lang: Lang } | null): Step<void> {
  const statements: BatchItem<"sqlite">[] = [
    db
      .update(conversations)
      .set({
        botState: turn.state,
        intentId: turn.intentId ?? undefined,
        botMisses: turn.state.misses,
        ...(turn.kind === "escalate" && turn.offline ? { offlineRequest: true } : {}),
      })
      .where(eq(conversations.id, c.id)),
  ];
  const reason = question && turn.kind === "escalate" ? (turn.unanswered ?? (turn.offline ? "offline" : null)) : null;
  if (question && reason) {
    statements.push(
      db.insert(unanswered).values({ id: newId(), workspaceId: c.workspaceId, conversationId: c.id, messageSeq: question.seq, text: question.text, lang: question.lang, reason, createdAt: Date.now() }),
    );
  }
  // The skill group of the intent the customer was on (B1): the escalation keeps a group a conversation has.
  if (turn.kind === "escalate" && turn.groupId) {
    statements.push(db.run(sql`UPDATE conversations SET group_id = COALESCE(group_id, ${turn.groupId}) WHERE id = ${c.id} AND status = 'bot'`));
  }
  return { statements, read: () => undefined };
}

/** Came when nobody, bot or person, was on: it waits as an offline request (B3). A step: it commits with the hand-over. */
export function offlineRequestStep(db: Db, conversationId: string): Step<void> {
  return { statements: [db.update(conversations).set({ offlineRequest: true }).where(eq(conversations.id, conversationId))], read: () => undefined };
}

/** The offline request's contact, where the contact has none yet (e-mail first, else phone). */
export function offlineContactStep(db: Db, c: Ref, contactId: string, contact: { email?: string; phone?: string }): Step<void> {
  if (contact.email) return collectedStep(db, c, contactId, { field: "email", value: contact.email });
  if (contact.phone) return collectedStep(db, c, contactId, { field: "phone", value: contact.phone });
  return { statements: [], read: () => undefined };
}
