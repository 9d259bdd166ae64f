import type { CannedReply } from "@tandem/protocol";
import { newId } from "@tandem/protocol";
import { and, asc, eq, isNull, or } from "drizzle-orm";
import type { OperatorActor } from "../auth/actor";
import { hasRole } from "../auth/roles";
import type { Db } from "../db/client";
import { cannedReplies } from "../db/schema";

type Row = typeof cannedReplies.$inferSelect;

const toReply = (row: Row): CannedReply => ({
  id: row.id,
  shortcut: row.shortcut,
  body: row.body,
  shared: row.operatorId === null,
  updatedAt: row.updatedAt ?? row.createdAt,
});

/** What an operator may read: the workspace's shared replies and their own, never a colleague's personal ones. */
const readable = (operator: OperatorActor) =>
  and(eq(cannedReplies.workspaceId, operator.workspaceId), or(isNull(cannedReplies.operatorId), eq(cannedReplies.operatorId, operator.id)));

export async function listCannedReplies(db: Db, operator: OperatorActor) {
  const rows = await db.select().from(cannedReplies).where(readable(operator)).orderBy(asc(cannedReplies.shortcut));
  return rows.map(toReply);
}

export async function createCannedReply(db: Db, operator: OperatorActor, input: { shortcut: string; body: string; shared: boolean }) {
  const now = Date.now();
  const row = {
    id: newId(now),
    workspaceId: operator.workspaceId,
    operatorId: input.shared ? null : operator.id,
    shortcut: input.shortcut,
    body: input.body,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(cannedReplies).values(row);
  return toReply(row);
}

export type CannedResult = { ok: true; reply: CannedReply | null } | { ok: false; status: 403 | 404; message: string };

/**
 * Changes (or, with `change` null, deletes) one reply. Someone else's personal
 * reply does not exist for the asker (404); a shared one needs an admin (403).
 */
export async function changeCannedReply(
  db: Db,
  operator: OperatorActor,
  id: string,
  change: { shortcut?: string; body?: string } | null,
): Promise<CannedResult> {
  const where = and(eq(cannedReplies.id, id), readable(operator));
  const [row] = await db.select().from(cannedReplies).where(where).limit(1);
  if (!row) return { ok: false, status: 404, message: "no such canned reply" };
  if (row.operatorId === null && !hasRole(operator, "admin")) {
    return { ok: false, status: 403, message: "workspace-wide replies are changed by admins" };
  }
  if (change === null) {
    await db.delete(cannedReplies).where(where);
    return { ok: true, reply: null };
  }
  const next = { ...row, ...change, updatedAt: Date.now() };
  await db.update(cannedReplies).set({ shortcut: next.shortcut, body: next.body, updatedAt: next.updatedAt }).where(where);
  return { ok: true, reply: toReply(next) };
}
