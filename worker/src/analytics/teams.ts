import type { Csat, TeamRow, Teams } from "@tandem/protocol";
import { sql, type SQL } from "drizzle-orm";
import { csatOf } from "./distribution";
import { figuresByKey } from "./durations";
import { eventsIn } from "./load";
import type { Period } from "./period";
import type { Scope } from "./scope";

type Keyed = { k: string | null };

/** Ratings given in the period on the scope's conversations, per key: n, sum, count of 4–5. */
export function ratingsBy(scope: Scope, p: Period, key: SQL) {
  return scope.db.all<Keyed & { n: number; total: number; good: number }>(sql`
    SELECT ${key} AS k, COUNT(*) AS n, SUM(c.rating) AS total, SUM(c.rating >= 4) AS good
    ${eventsIn(scope, p, sql`('rated')`)} AND c.rating IS NOT NULL GROUP BY k`);
}

export const csatRow = (row: { n: number; total: number; good: number } | undefined): Csat =>
  csatOf(Number(row?.n ?? 0), Number(row?.total ?? 0), Number(row?.good ?? 0));

/** A3: groups and operators side by side; operators ordered by the Wilson lower bound of their CSAT. */
export async function teams(scope: Scope, p: Period = scope.period): Promise<Teams> {
  const { db, workspaceId, query } = scope;
  const ids = (list: readonly string[], column: SQL) =>
    list.length
      ? sql`AND ${column} IN (${sql.join(
          list.map((id) => sql`${id}`),
          sql`, `,
        )})`
      : sql``;
  const [groups, operators] = await Promise.all([
    db.all<{ id: string; name: string }>(
      sql`SELECT id, name FROM groups WHERE workspace_id = ${workspaceId} ${ids(query.group, sql`id`)} ORDER BY name, id`,
    ),
    db.all<{ id: string; name: string }>(sql`
      SELECT o.id, o.name FROM memberships AS m JOIN operators AS o ON o.id = m.operator_id
      WHERE m.workspace_id = ${workspaceId} ${ids(query.operator, sql`o.id`)} ORDER BY o.name, o.id`),
  ]);
  const [byGroup, byOperator] = await Promise.all([
    figures(scope, p, {
      owner: sql`c.group_id`,
      credited: "group",
      from: sql`json_extract(e.data, '$.fromGroupId')`,
      // A hand to another operator of the same group is not a transfer away from the group.
      away: sql`json_extract(e.data, '$.groupId') IS NOT NULL AND json_extract(e.data, '$.groupId') IS NOT json_extract(e.data, '$.fromGroupId')`,
    }),
    figures(scope, p, { owner: sql`c.assignee_id`, credited: "operator", from: sql`json_extract(e.data, '$.fromId')`, away: sql`1` }),
  ]);
  const rows = (list: Array<{ id: string; name: string }>, figure: (id: string) => Omit<TeamRow, "id" | "name">) =>
    list.map((item) => ({ id: item.id, name: item.name, ...figure(item.id) }));
  const ranked = rows(operators, byOperator).sort(
    (a, b) => (b.csat.wilson ?? -1) - (a.csat.wilson ?? -1) || b.handled - a.handled || a.name.localeCompare(b.name),
  );
  return { groups: rows(groups, byGroup), operators: ranked };
}

/**
 * Each figure of a team row, keyed by group or operator: `owner` is the
 * conversation's column (CSAT), `credited` the durations' column (a first
 * reply counts for the operator who wrote it and the group it was in then;
 * a close, handled and its lifetime, for those who had it when it closed),
 * `from` whom a transfer took it from when `away`.
 */
async function figures(scope: Scope, p: Period, key: { owner: SQL; credited: "operator" | "group"; from: SQL; away: SQL }) {
  const { db } = scope;
  // Closes are lifetimes: a key's lifetimes come with how many conversations it handled.
  const [f, l, transfers, ratings] = await Promise.all([
    figuresByKey(scope, "firstResponse", p, key.credited),
    figuresByKey(scope, "lifetime", p, key.credited),
    db.all<Keyed & { n: number }>(sql`SELECT ${key.from} AS k, COUNT(*) AS n ${eventsIn(scope, p, sql`('transferred')`)} AND ${key.away} GROUP BY k`),
    ratingsBy(scope, p, key.owner),
  ]);
  const t = new Map(transfers.map((r) => [r.k, Number(r.n)]));
  const r = new Map(ratings.map((row) => [row.k, row]));
  return (id: string): Omit<TeamRow, "id" | "name"> => {
    const first = f.get(id);
    return {
      handled: l.get(id)?.conversations ?? 0,
      firstResponse: { n: first?.n ?? 0, p50: first?.p50 ?? null, p90: first?.p90 ?? null },
      lifetimeP50: l.get(id)?.p50 ?? null,
      transfers: t.get(id) ?? 0,
      csat: csatRow(r.get(id)),
    };
  };
}
