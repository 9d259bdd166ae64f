import { HISTOGRAM_BOUNDS, type DurationMetric } from "@tandem/protocol";
import { sql, type SQL } from "drizzle-orm";
import { fromPercentilesRow, percentilesSql, rankOf } from "./distribution";
import type { Period } from "./period";
import type { Scope } from "./scope";

// Each measured span of a conversation is a row of `durations`, written with
// the event that ends it (migration 0008's view `duration_sources` says where
// each starts, as analytics-definitions.ts does). A span counts in the period
// it ended in. Besides the four durations: `lifetime` rows are the closes,
// `queueLeft` the closes of a customer who left the queue before a person
// answered, `handoff` each conversation's first hand-off, with its reason.

/** Events that hand a conversation to people. */
export const HANDOFF = sql`('escalated', 'claimed', 'transferred', 'requeued', 'reopened')`;

/**
 * The spans of a kind that ended in the period (alias `d`, a row of
 * `durations`), on the scope's conversations: the filters join each to its
 * conversation (alias `c`); with none, the index alone answers.
 */
export type Span = DurationMetric | "queueLeft" | "handoff";

export function spansIn(scope: Scope, metric: Span, p: Period, join = scope.filtered): SQL {
  return sql`FROM durations AS d ${join ? sql`JOIN conversations AS c ON c.id = d.conversation_id ` : sql``}
    WHERE d.workspace_id = ${scope.workspaceId} AND d.metric = ${metric} AND d.ended_at >= ${p.lo} AND d.ended_at < ${p.hi}
    ${join ? sql`AND ${scope.where}` : sql``}`;
}

/** The rows of a duration metric: cid, its site, the group and operator it is credited to, start and end. */
export function durationRows(scope: Scope, metric: DurationMetric, p: Period = scope.period): SQL {
  return sql`SELECT d.conversation_id AS cid, c.site_id AS site, d.group_id AS grp, d.operator_id AS op, d.started_at AS start, d.ended_at AS "end", d.value AS v
    ${spansIn(scope, metric, p, true)}`;
}

/**
 * The durations' values (`v`, never negative), for summarySql; `k` is the
 * partition key when given: `d.group_id` or `d.operator_id`.
 */
export function durationValues(scope: Scope, metric: DurationMetric, key?: SQL, p: Period = scope.period): SQL {
  return sql`SELECT ${key ? sql`${key} AS k, ` : sql``}d.value AS v ${spansIn(scope, metric, p)}`;
}

/** A conversation's (alias `c`) first response time, whenever it came; null before one. */
export const firstResponseOf = sql`(SELECT fr.value FROM durations AS fr WHERE fr.conversation_id = c.id AND fr.metric = 'firstResponse')`;

/**
 * A walk of a value index passes every older value below the rank too, so it
 * pays when the period is a fair share of the metric's history (90 days of a
 * year: half the time of sorting; 30 days of a year, the team tables: p95
 * 199 ms walking, 324 ranking); for a day or a week of a long history,
 * sorting the period's own rows costs less (1 day of a year: 1 ms against
 * 42). Walk when the period is at least this share of the time since the
 * first span.
 */
const WALK_SHARE = 0.05;

/** The first span of a metric in the workspace, from the index alone. */
const firstEnded = (scope: Scope, metric: DurationMetric) =>
  sql`(SELECT MIN(h.ended_at) FROM durations AS h WHERE h.workspace_id = ${scope.workspaceId} AND h.metric = ${metric})`;

const walkPays = (p: Period, first: number | null) => first === null || p.hi - p.lo >= (p.hi - first) * WALK_SHARE;

/**
 * A metric's summary over all the workspace's conversations (no filter), as
 * summarySql gives it: n, mean and the histogram from the period's range of
 * `durations_metric_ended`; p50 and p90 at their nearest rank, by walking
 * `durations_metric_value` in value order (no sort) when that pays, else by
 * sorting the period's range. At 90 days of a year, 83 -> 40 ms.
 */
export function durationSummary(scope: Scope, metric: DurationMetric, p: Period): SQL {
  const range = sql`d.workspace_id = ${scope.workspaceId} AND d.metric = ${metric} AND d.ended_at >= ${p.lo} AND d.ended_at < ${p.hi}`;
  const count = sql`(SELECT COUNT(*) FROM durations AS d WHERE ${range})`;
  const offset = (q: number) => sql`OFFSET (${count} * ${sql.raw(String(q))} + 99) / 100 - 1`;
  const pays = sql`${sql.raw(String(p.hi - p.lo))} >= (${p.hi} - ${firstEnded(scope, metric)}) * ${sql.raw(String(WALK_SHARE))}`;
  // CASE runs only the subquery of the arm it takes.
  const rank = (q: number) => sql`(CASE WHEN ${pays}
    THEN (SELECT d.value FROM durations AS d INDEXED BY durations_metric_value WHERE ${range} ORDER BY d.value LIMIT 1 ${offset(q)})
    ELSE (SELECT d.value FROM durations AS d INDEXED BY durations_metric_ended WHERE ${range} ORDER BY d.value LIMIT 1 ${offset(q)}) END)`;
  const bins = [...HISTOGRAM_BOUNDS, null].map((upper, i) => {
    const lower = i === 0 ? null : HISTOGRAM_BOUNDS[i - 1]!;
    const above = lower === null ? sql`1` : sql`d.value > ${sql.raw(String(lower))}`;
    const below = upper === null ? sql`1` : sql`d.value <= ${sql.raw(String(upper))}`;
    return sql`SUM(${above} AND ${below}) AS ${sql.raw(`h${i}`)}`;
  });
  return sql`SELECT COUNT(*) AS n, MIN(d.value) AS min, MAX(d.value) AS max, AVG(d.value) AS mean, ${rank(50)} AS p50, ${rank(90)} AS p90,
    ${sql.join(bins, sql`, `)}
    FROM durations AS d WHERE ${range}`;
}

/** A key's figures of a metric in the period: n, p50, p90, and how many conversations they came from. */
export type KeyFigures = { n: number; p50: number | null; p90: number | null; conversations: number };

/** Keys per statement of walks: two result columns each, well under SQLite's 2,000. */
const KEYS_PER_STATEMENT = 400;

/**
 * A metric's figures per operator or per group it is credited to (nulls
 * left out). Over the whole workspace, when a walk pays (see WALK_SHARE):
 * counted first, then each p50 and p90 walks that key's value index to its
 * nearest rank, a third of the time of ranking at 90 days. Otherwise (a
 * filter, or a short period) ranked with a window function.
 */
export async function figuresByKey(scope: Scope, metric: DurationMetric, p: Period, key: "operator" | "group"): Promise<Map<string, KeyFigures>> {
  const column = sql.raw(key === "operator" ? "operator_id" : "group_id");
  const credited = sql`d.${column} IS NOT NULL`;
  const ranked = async () => {
    const rows = await scope.db.all<Record<string, unknown>>(
      percentilesSql(sql`SELECT d.${column} AS k, d.value AS v, d.conversation_id AS c ${spansIn(scope, metric, p)} AND ${credited}`, true),
    );
    return new Map(rows.map((r) => [String(r.k), { ...fromPercentilesRow(r), conversations: Number(r.distinct) }]));
  };
  if (scope.filtered) return ranked();
  const counts = await scope.db.all<{ k: string; n: number; conversations: number; first: number | null }>(sql`
    SELECT d.${column} AS k, COUNT(*) AS n, COUNT(DISTINCT d.conversation_id) AS conversations, ${firstEnded(scope, metric)} AS first
    ${spansIn(scope, metric, p)} AND ${credited} GROUP BY k`);
  if (counts.length === 0) return new Map();
  if (!walkPays(p, counts[0]!.first === null ? null : Number(counts[0]!.first))) return ranked();
  const index = sql.raw(key === "operator" ? "durations_operator_value" : "durations_group_value");
  const walk = (k: string, q: number, n: number) => sql`(SELECT d.value FROM durations AS d INDEXED BY ${index}
    WHERE d.workspace_id = ${scope.workspaceId} AND d.metric = ${metric} AND d.${column} = ${k} AND d.ended_at >= ${p.lo} AND d.ended_at < ${p.hi}
    ORDER BY d.value LIMIT 1 OFFSET ${sql.raw(String(rankOf(q, n) - 1))})`;
  const chunks: (typeof counts)[] = [];
  for (let i = 0; i < counts.length; i += KEYS_PER_STATEMENT) chunks.push(counts.slice(i, i + KEYS_PER_STATEMENT));
  const ranks = await Promise.all(
    chunks.map(async (chunk) => {
      const [row] = await scope.db.all<Record<string, number>>(
        sql`SELECT ${sql.join(
          chunk.map((r, i) => sql`${walk(r.k, 50, Number(r.n))} AS ${sql.raw(`p50_${i}`)}, ${walk(r.k, 90, Number(r.n))} AS ${sql.raw(`p90_${i}`)}`),
          sql`, `,
        )}`,
      );
      return chunk.map((r, i) => [r.k, { n: Number(r.n), p50: Number(row![`p50_${i}`]), p90: Number(row![`p90_${i}`]), conversations: Number(r.conversations) }] as const);
    }),
  );
  return new Map(ranks.flat());
}
