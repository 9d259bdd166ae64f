import type { AnalyticsQuery } from "@tandem/protocol";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { periodOf, previousOf, type Period } from "./period";

/** What a view is asked about: the workspace, its period (and the one before), and which conversations. */
export type Scope = {
  db: Db;
  workspaceId: string;
  period: Period;
  previous: Period;
  query: AnalyticsQuery;
  /** The conversations the filters keep, as a condition on `c` (a conversations row). */
  where: SQL;
  /** Whether any filter narrows the workspace's conversations (so `where` says more than the workspace). */
  filtered: boolean;
  now: number;
};

const inList = (column: SQL, ids: readonly string[]) =>
  sql`${column} IN (${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`;

/** The filters as one condition on the conversations row `c`; every filter's values are alternatives. */
export function filterSql(workspaceId: string, q: AnalyticsQuery): SQL {
  const parts: SQL[] = [sql`c.workspace_id = ${workspaceId}`];
  if (q.site.length) parts.push(inList(sql`c.site_id`, q.site));
  if (q.channel.length) parts.push(inList(sql`c.channel`, q.channel));
  if (q.group.length) parts.push(inList(sql`c.group_id`, q.group));
  if (q.operator.length) parts.push(inList(sql`c.assignee_id`, q.operator));
  if (q.tag.length) {
    parts.push(sql`EXISTS (SELECT 1 FROM conversation_tags AS ct WHERE ct.conversation_id = c.id AND ${inList(sql`ct.tag_id`, q.tag)})`);
  }
  return sql.join(parts, sql` AND `);
}

/**
 * The first id a filter names that is not the workspace's own (another
 * workspace's group, operator, site or tag), with its kind; null when all are.
 */
export async function foreignFilter(db: Db, workspaceId: string, q: AnalyticsQuery): Promise<string | null> {
  const checks: Array<[string, readonly string[], SQL]> = [
    ["site", q.site, sql`SELECT id FROM sites WHERE workspace_id = ${workspaceId} AND`],
    ["group", q.group, sql`SELECT id FROM groups WHERE workspace_id = ${workspaceId} AND`],
    ["operator", q.operator, sql`SELECT operator_id AS id FROM memberships WHERE workspace_id = ${workspaceId} AND`],
    ["tag", q.tag, sql`SELECT id FROM tags WHERE workspace_id = ${workspaceId} AND`],
  ];
  for (const [kind, ids, select] of checks) {
    if (ids.length === 0) continue;
    const column = kind === "operator" ? sql`operator_id` : sql`id`;
    const found = await db.all<{ id: string }>(sql`${select} ${inList(column, ids)}`);
    const known = new Set(found.map((row) => row.id));
    const missing = ids.find((id) => !known.has(id));
    if (missing) return `no ${kind} ${missing} in this workspace`;
  }
  return null;
}

export function scopeOf(db: Db, workspaceId: string, zone: string, query: AnalyticsQuery, now = Date.now()): Scope {
  const period = periodOf(zone, query.from, query.to, query.groupBy);
  const filtered = [query.site, query.channel, query.group, query.operator, query.tag].some((ids) => ids.length > 0);
  return { db, workspaceId, period, previous: previousOf(period), query, where: filterSql(workspaceId, query), filtered, now };
}

/** The same scope over another period (the previous one, to compare). */
export const overPeriod = (scope: Scope, period: Period): Scope => ({ ...scope, period, previous: previousOf(period) });
