import { HISTOGRAM_BOUNDS, type DurationMetric } from "@tandem/protocol";
import { sql, type SQL } from "drizzle-orm";
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
 * A metric's summary over all the workspace's conversations (no filter), as
 * summarySql gives it, without sorting: n, mean and the histogram from the
 * period's range of `durations_metric_ended`; p50 and p90 by walking
 * `durations_metric_value` in value order to their nearest rank, skipping
 * what ended outside the period. (SQLite would rather sort the period's
 * rows, which costs twice as much at 90 days and four times at a year.)
 */
export function durationSummary(scope: Scope, metric: DurationMetric, p: Period): SQL {
  const range = sql`d.workspace_id = ${scope.workspaceId} AND d.metric = ${metric} AND d.ended_at >= ${p.lo} AND d.ended_at < ${p.hi}`;
  const count = sql`(SELECT COUNT(*) FROM durations AS d WHERE ${range})`;
  const rank = (q: number) => sql`(SELECT d.value FROM durations AS d INDEXED BY durations_metric_value WHERE ${range}
    ORDER BY d.value LIMIT 1 OFFSET (${count} * ${sql.raw(String(q))} + 99) / 100 - 1)`;
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
