import type { ConversationSummary } from "@tandem/protocol";
import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { contacts, conversations, operators } from "../db/schema";

const columns = {
  id: conversations.id,
  status: conversations.status,
  lastSeq: conversations.lastSeq,
  assigneeId: conversations.assigneeId,
  assigneeName: operators.name,
  visitorName: contacts.name,
  preview: conversations.preview,
  lastMessageAt: conversations.lastMessageAt,
  createdAt: conversations.createdAt,
  escalatedAt: conversations.escalatedAt,
  closedAt: conversations.closedAt,
  pageUrl: sql<string | null>`json_extract(${conversations.context}, '$.url')`,
};

type Row = { [K in keyof typeof columns]: unknown } & Record<string, unknown>;

function toSummary(row: Row): ConversationSummary {
  const { assigneeId, assigneeName, ...rest } = row as unknown as ConversationSummary & {
    assigneeId: string | null;
    assigneeName: string | null;
  };
  return { ...rest, assignee: assigneeId ? { id: assigneeId, name: assigneeName ?? "" } : null };
}

function selectSummaries(db: Db, where: SQL | undefined) {
  return db
    .select(columns)
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(operators, eq(operators.id, conversations.assigneeId))
    .where(where);
}

export type SummaryFilter = "open" | "queued" | "assigned" | "closed" | "mine";

/** A workspace's conversations for the inbox, newest activity first. */
export function listSummaries(db: Db, workspaceId: string, filter: SummaryFilter, operatorId: string, limit = 200) {
  const inWorkspace = eq(conversations.workspaceId, workspaceId);
  const where = {
    open: and(inWorkspace, inArray(conversations.status, ["queued", "assigned"])),
    queued: and(inWorkspace, eq(conversations.status, "queued")),
    assigned: and(inWorkspace, eq(conversations.status, "assigned")),
    closed: and(inWorkspace, eq(conversations.status, "closed")),
    mine: and(inWorkspace, eq(conversations.status, "assigned"), eq(conversations.assigneeId, operatorId)),
  }[filter];
  return selectSummaries(db, where)
    .orderBy(desc(sql`COALESCE(${conversations.lastMessageAt}, ${conversations.createdAt})`))
    .limit(limit);
}

export async function readSummaries(db: Db, workspaceId: string, filter: SummaryFilter, operatorId: string) {
  return (await listSummaries(db, workspaceId, filter, operatorId)).map(toSummary);
}

/** One conversation's summary, only if it belongs to the workspace. */
export async function readSummary(db: Db, workspaceId: string, id: string): Promise<ConversationSummary | null> {
  const [row] = await selectSummaries(
    db,
    and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, id)),
  ).limit(1);
  return row ? toSummary(row) : null;
}

/** Summaries of several conversations of one workspace, by id. */
export async function readSummariesById(db: Db, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, ConversationSummary>();
  const rows = await selectSummaries(
    db,
    and(eq(conversations.workspaceId, workspaceId), inArray(conversations.id, ids)),
  );
  return new Map(rows.map((row) => [row.id, toSummary(row)]));
}

export { toSummary };
