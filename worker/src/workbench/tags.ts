import type { Tag } from "@tandem/protocol";
import { newId } from "@tandem/protocol";
import { and, asc, eq, sql } from "drizzle-orm";
import type { OperatorActor } from "../auth/actor";
import type { Db } from "../db/client";
import { conversationTags, tags } from "../db/schema";
import { recordOperatorEvent } from "./workbench-events";

const columns = { id: tags.id, name: tags.name, color: tags.color };

// Names are unique per workspace without regard to case: "VIP" and "vip" are one tag.
const sameName = (workspaceId: string, name: string) =>
  and(eq(tags.workspaceId, workspaceId), sql`lower(${tags.name}) = lower(${name})`);

export function listTags(db: Db, workspaceId: string): Promise<Tag[]> {
  return db.select(columns).from(tags).where(eq(tags.workspaceId, workspaceId)).orderBy(asc(tags.name));
}

export async function findTagByName(db: Db, workspaceId: string, name: string): Promise<Tag | null> {
  const [tag] = await db.select(columns).from(tags).where(sameName(workspaceId, name)).limit(1);
  return tag ?? null;
}

/** A new tag, or null when the workspace already has one by that name. */
export async function createTag(db: Db, workspaceId: string, input: { name: string; color: string }): Promise<Tag | null> {
  if (await findTagByName(db, workspaceId, input.name)) return null;
  const tag = { id: newId(), name: input.name, color: input.color };
  // Two at once with the same name: the unique index keeps one.
  const inserted = await db.insert(tags).values({ ...tag, workspaceId, createdAt: Date.now() }).onConflictDoNothing().returning(columns);
  return inserted.length ? tag : null;
}

export type TagChange = { ok: true; tag: Tag } | { ok: false; status: 404 | 409; message: string };

export async function changeTag(db: Db, workspaceId: string, id: string, change: { name?: string; color?: string }): Promise<TagChange> {
  const where = and(eq(tags.id, id), eq(tags.workspaceId, workspaceId));
  const [current] = await db.select(columns).from(tags).where(where).limit(1);
  if (!current) return { ok: false, status: 404, message: "no such tag" };
  if (change.name !== undefined) {
    const other = await findTagByName(db, workspaceId, change.name);
    if (other && other.id !== id) return { ok: false, status: 409, message: `a tag named ${other.name} exists` };
  }
  const next = { ...current, ...change };
  await db.update(tags).set({ name: next.name, color: next.color }).where(where);
  return { ok: true, tag: next };
}

/** Deletes a tag and takes it off every conversation; false when it is not in the workspace. */
export async function deleteTag(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const where = and(eq(tags.id, id), eq(tags.workspaceId, workspaceId));
  const [current] = await db.select(columns).from(tags).where(where).limit(1);
  if (!current) return false;
  await db.batch([db.delete(conversationTags).where(eq(conversationTags.tagId, id)), db.delete(tags).where(where)]);
  return true;
}

export function readConversationTags(db: Db, conversationId: string): Promise<Tag[]> {
  return db
    .select(columns)
    .from(conversationTags)
    .innerJoin(tags, eq(tags.id, conversationTags.tagId))
    .where(eq(conversationTags.conversationId, conversationId))
    .orderBy(asc(tags.name));
}

/** Puts a tag of the workspace on a conversation already checked to be in it; logged once, when it was not there yet. */
export async function addConversationTag(db: Db, operator: OperatorActor, conversationId: string, tag: Tag) {
  const at = Date.now();
  const added = await db.insert(conversationTags).values({ conversationId, tagId: tag.id }).onConflictDoNothing().returning();
  if (added.length) await recordOperatorEvent(db, operator, "tag_added", conversationId, { tagId: tag.id, name: tag.name }, at);
}

export async function removeConversationTag(db: Db, operator: OperatorActor, conversationId: string, tagId: string) {
  const removed = await db
    .delete(conversationTags)
    .where(and(eq(conversationTags.conversationId, conversationId), eq(conversationTags.tagId, tagId)))
    .returning();
  if (removed.length) await recordOperatorEvent(db, operator, "tag_removed", conversationId, { tagId }, Date.now());
  return removed.length > 0;
}

export async function findTag(db: Db, workspaceId: string, id: string): Promise<Tag | null> {
  const [tag] = await db.select(columns).from(tags).where(and(eq(tags.id, id), eq(tags.workspaceId, workspaceId))).limit(1);
  return tag ?? null;
}
