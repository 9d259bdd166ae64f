// Seeds conversations straight into libSQL, many at a time: the dashboard
// bench's 1,000 queued chats and 10,000-message history, and search tests.
import { newId } from "@tandem/protocol";
import type { Db } from "../../worker/src/db/client";
import { contacts, conversations, conversationTags, messages, tags } from "../../worker/src/db/schema";

export type SeedConversation = {
  name?: string | null;
  email?: string | null;
  status?: "bot" | "queued" | "assigned" | "closed";
  assigneeId?: string | null;
  /** Message bodies, the customer and the bot taking turns. */
  messages?: string[];
  tagIds?: string[];
  /** When the last message was written; messages before it a second apart. */
  at?: number;
};

/** Writes conversations (with their contacts and messages) in few round trips; returns their ids in order. */
export async function seedConversations(db: Db, workspaceId: string, siteId: string, list: SeedConversation[]): Promise<string[]> {
  const ids: string[] = [];
  const rows: { contact: any; conversation: any; messages: any[]; tags: any[] }[] = [];
  for (const item of list) {
    const at = item.at ?? Date.now();
    const bodies = item.messages ?? ["Hello, can a human help me?"];
    const contactId = newId();
    const id = newId();
    ids.push(id);
    const status = item.status ?? "queued";
    rows.push({
      contact: { id: contactId, workspaceId, name: item.name ?? null, email: item.email ?? null, createdAt: at, updatedAt: at },
      conversation: {
        id,
        workspaceId,
        siteId,
        contactId,
        status,
        assigneeId: item.assigneeId ?? null,
        lastSeq: bodies.length,
        lastMessageAt: at,
        preview: bodies.at(-1)!.slice(0, 140),
        createdAt: at - bodies.length * 1000,
        escalatedAt: status === "bot" ? null : at,
        assignedAt: status === "assigned" ? at : null,
        closedAt: status === "closed" ? at : null,
      },
      messages: bodies.map((body, i) => ({
        id: newId(),
        conversationId: id,
        seq: i + 1,
        clientMsgId: newId(),
        authorKind: i % 2 === 0 ? "visitor" : "bot",
        body,
        createdAt: at - (bodies.length - 1 - i) * 1000,
      })),
      tags: (item.tagIds ?? []).map((tagId) => ({ conversationId: id, tagId })),
    });
  }
  // libSQL over HTTP: a few big inserts, not thousands of small ones.
  for (const part of chunks(rows, 200)) {
    await db.insert(contacts).values(part.map((r) => r.contact));
    await db.insert(conversations).values(part.map((r) => r.conversation));
  }
  for (const part of chunks(rows.flatMap((r) => r.messages), 500)) await db.insert(messages).values(part);
  const tagRows = rows.flatMap((r) => r.tags);
  if (tagRows.length) await db.insert(conversationTags).values(tagRows);
  return ids;
}

/** A tag of the workspace, made directly. */
export async function seedTag(db: Db, workspaceId: string, name: string) {
  const id = newId();
  await db.insert(tags).values({ id, workspaceId, name, createdAt: Date.now() });
  return id;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
