import type { ConversationSummary, PageContext } from "@tandem/protocol";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { contacts, conversations, operators } from "../db/schema";
import { latestDecision } from "../routing/overview";
import { identityColumns, shownNameVerified } from "../visitors/contact";
import { readTrail } from "./page-views";

const columns = {
  id: conversations.id,
  status: conversations.status,
  lastSeq: conversations.lastSeq,
  assigneeId: conversations.assigneeId,
  assigneeName: operators.name,
  visitorName: contacts.name,
  visitorVerified: shownNameVerified,
  preview: conversations.preview,
  lastMessageAt: conversations.lastMessageAt,
  createdAt: conversations.createdAt,
  escalatedAt: conversations.escalatedAt,
  closedAt: conversations.closedAt,
  groupId: conversations.groupId,
  offlineRequest: conversations.offlineRequest,
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

/** A workspace's conversations for a list, newest activity first. */
function listSummaries(db: Db, workspaceId: string, filter: SummaryFilter, operatorId: string, limit = 200) {
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

/** Far more waiting customers than any team has; the queue must never drop the ones waiting longest. */
const QUEUE_LIMIT = 5000;
const ASSIGNED_LIMIT = 2000;

/**
 * Every open conversation for the inbox snapshot: the whole queue, oldest
 * waiting first, then the assigned ones, newest activity first.
 */
export async function readOpenSummaries(db: Db, workspaceId: string) {
  const inWorkspace = eq(conversations.workspaceId, workspaceId);
  const [queued, assigned] = await db.batch([
    selectSummaries(db, and(inWorkspace, eq(conversations.status, "queued")))
      .orderBy(asc(conversations.escalatedAt))
      .limit(QUEUE_LIMIT),
    selectSummaries(db, and(inWorkspace, eq(conversations.status, "assigned")))
      .orderBy(desc(sql`COALESCE(${conversations.lastMessageAt}, ${conversations.createdAt})`))
      .limit(ASSIGNED_LIMIT),
  ]);
  return [...queued, ...assigned].map(toSummary);
}

/** One conversation with what an operator sees beside it, in one round trip (two at once); null if not in the workspace. */
export async function readConversationDetail(db: Db, workspaceId: string, id: string) {
  const mine = and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, id));
  const [[[row], [detail], trail], routing] = await Promise.all([
    db.batch([
      selectSummaries(db, mine).limit(1),
      db
        .select({
          context: conversations.context,
          contact: { id: contacts.id, name: contacts.name, email: contacts.email, phone: contacts.phone, ...identityColumns },
        })
        .from(conversations)
        .innerJoin(contacts, eq(contacts.id, conversations.contactId))
        .where(mine)
        .limit(1),
      // Checked against the workspace above: the trail goes out only with its conversation.
      readTrail(db, id),
    ]),
    // Why it went to whom (D3); dropped below with everything else if the conversation is not this workspace's.
    latestDecision(db, id),
  ]);
  if (!row || !detail) return null;
  return { conversation: toSummary(row), context: detail.context as PageContext, contact: detail.contact, trail, routing };
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
