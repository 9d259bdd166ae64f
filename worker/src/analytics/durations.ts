import type { DurationMetric } from "@tandem/protocol";
import { sql, type SQL } from "drizzle-orm";
import type { Period } from "./period";
import type { Scope } from "./scope";

// Where each duration comes from (see analytics-definitions.ts): one query
// per metric with a row per measured duration — its conversation `cid`, the
// conversation's site, group and assignee, the operator it is credited to,
// and when it started and ended. A duration counts in the period it ended in.

/** Events that hand a conversation to people. */
export const HANDOFF = sql`('escalated', 'claimed', 'transferred', 'requeued', 'reopened')`;

/** An event (alias `q`) that starts a wait in a queue. */
export const entersQueue = (q: string) => sql.raw(`(${q}.type IN ('escalated', 'requeued', 'transferred', 'reopened') AND (${q}.type IN ('escalated', 'requeued')
  OR (${q}.type = 'transferred' AND json_extract(${q}.data, '$.operatorId') IS NULL)
  OR (${q}.type = 'reopened' AND json_extract(${q}.data, '$.reason') = 'customer wrote again')))`);

/** An event (alias `x`) that ends a wait: an operator got it, or it closed. */
export const leavesQueue = (x: string) => sql.raw(`(${x}.type IN ('claimed', 'closed', 'transferred', 'reopened') AND (${x}.type IN ('claimed', 'closed')
  OR (${x}.type = 'transferred' AND json_extract(${x}.data, '$.operatorId') IS NOT NULL)
  OR (${x}.type = 'reopened' AND json_extract(${x}.data, '$.reason') != 'customer wrote again')))`);

/** An event (alias `e`) that gives a waiting conversation to an operator. */
const takesFromQueue = sql.raw(`(e.type = 'claimed' OR (e.type = 'transferred' AND json_extract(e.data, '$.operatorId') IS NOT NULL))`);

export type DurationRow = { cid: string; site: string | null; start: number; end: number; op: string | null };

const inPeriod = (p: Period) => sql`e.at >= ${p.lo} AND e.at < ${p.hi}`;

/** The rows of a duration metric over the scope's conversations and the period: cid, site, grp, op, start, end. */
export function durationRows(scope: Scope, metric: DurationMetric, p: Period = scope.period): SQL {
  const base = sql`c.id AS cid, c.site_id AS site, c.group_id AS grp`;
  const from = sql`FROM events AS e JOIN conversations AS c ON c.id = e.conversation_id`;
  const where = sql`e.workspace_id = ${scope.workspaceId} AND ${inPeriod(p)} AND ${scope.where}`;
  switch (metric) {
    case "firstResponse":
      return sql`SELECT ${base}, COALESCE(json_extract(e.data, '$.groupId'), c.group_id) AS replied_in, e.actor_id AS op, e.at AS "end",
          COALESCE((SELECT MIN(h.at) FROM events AS h WHERE h.conversation_id = e.conversation_id AND h.type IN ${HANDOFF}), c.created_at) AS start
        ${from} WHERE e.type = 'first_reply' AND ${where}`;
    case "replyTime":
      return sql`SELECT ${base}, e.actor_id AS op, e.at AS "end", m.created_at AS start
        ${from} JOIN messages AS m ON m.conversation_id = e.conversation_id AND m.seq = json_extract(e.data, '$.seq')
        WHERE e.type = 'replied' AND ${where}`;
    case "lifetime":
      return sql`SELECT ${base}, c.assignee_id AS op, e.at AS "end",
          (SELECT MAX(o.at) FROM events AS o WHERE o.conversation_id = e.conversation_id AND o.id < e.id AND o.type IN ('created', 'reopened')) AS start
        ${from} WHERE e.type = 'closed' AND ${where}`;
    case "queueWait":
      return sql`SELECT cid, site, grp, op, "end", (SELECT at FROM events WHERE id = entered) AS start FROM (
          SELECT ${base}, COALESCE(json_extract(e.data, '$.assigneeId'), json_extract(e.data, '$.operatorId')) AS op, e.at AS "end",
            (SELECT MAX(q.id) FROM events AS q WHERE q.conversation_id = e.conversation_id AND q.id < e.id AND ${entersQueue("q")}) AS entered,
            (SELECT MAX(x.id) FROM events AS x WHERE x.conversation_id = e.conversation_id AND x.id < e.id AND ${leavesQueue("x")}) AS left
          ${from} WHERE e.type IN ('claimed', 'transferred') AND ${takesFromQueue} AND ${where})
        WHERE entered IS NOT NULL AND entered > COALESCE(left, 0)`;
  }
}

/** The durations' values (`v`, never negative), for summarySql; `k` is the partition key when given. */
export function durationValues(scope: Scope, metric: DurationMetric, key?: SQL, p?: Period): SQL {
  // Materialized, so each row's correlated lookups run once (inlined, SQLite would run them for each use of `start`).
  return sql`WITH r AS MATERIALIZED (${durationRows(scope, metric, p)})
    SELECT ${key ? sql`${key} AS k, ` : sql``}MAX(0, "end" - start) AS v FROM r WHERE start IS NOT NULL`;
}
