import { DURATION_METRICS, readWorkingHours, type Distribution, type DurationMetric, type Speed, type WorkingHours } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import { parseStored } from "../sites/load-site";
import { fromSummaryRow, share, summarize, summarySql } from "./distribution";
import { durationRows, durationSummary, durationValues, spansIn } from "./durations";
import type { Period } from "./period";
import type { Scope } from "./scope";
import { withinHours } from "./working-hours";

/** A1: the four distributions and the share who left the queue. */
export async function speed(scope: Scope, p: Period = scope.period): Promise<Speed> {
  const [firstResponse, queueWait, lifetime, replyTime, abandoned] = await Promise.all([
    ...DURATION_METRICS.map((metric) => distribution(scope, metric, p)),
    abandonment(scope, p),
  ]);
  return { firstResponse, queueWait, lifetime, replyTime, abandoned } as Speed;
}

/** One metric's distribution: summarized in SQL, or, within working hours, from its rows cut to each site's hours. */
export async function distribution(scope: Scope, metric: DurationMetric, p: Period = scope.period): Promise<Distribution> {
  if (scope.query.hours === "all") {
    const summary = scope.filtered ? summarySql(durationValues(scope, metric, undefined, p)) : durationSummary(scope, metric, p);
    const [row] = await scope.db.all<Record<string, unknown>>(summary);
    return fromSummaryRow(row);
  }
  const [rows, hours] = await Promise.all([
    scope.db.all<{ site: string | null; start: number; end: number }>(durationRows(scope, metric, p)),
    siteHours(scope),
  ]);
  const values = rows.map((r) => withinHours(hours.get(r.site ?? "") ?? {}, Number(r.start), Number(r.end)));
  return summarize(values);
}

/** Every site's working hours in the workspace, by id. */
export async function siteHours(scope: Scope): Promise<Map<string, WorkingHours>> {
  const rows = await scope.db.all<{ id: string; hours: string | null }>(
    sql`SELECT id, working_hours AS hours FROM sites WHERE workspace_id = ${scope.workspaceId}`,
  );
  return new Map(rows.map((r) => [r.id, readWorkingHours(parseStored(r.hours))]));
}

/**
 * Of the conversations handed to people whose wait ended in the period (a
 * first human reply, or a close with none before it), how many closed first.
 */
async function abandonment(scope: Scope, p: Period): Promise<Speed["abandoned"]> {
  const [row] = await scope.db.all<{ answered: number; left: number }>(sql`
    SELECT (SELECT COUNT(*) ${spansIn(scope, "firstResponse", p)}) AS answered,
      (SELECT COUNT(DISTINCT d.conversation_id) ${spansIn(scope, "queueLeft", p)}) AS left`);
  const answered = Number(row?.answered ?? 0);
  const left = Number(row?.left ?? 0);
  return { waited: answered + left, left, share: share(left, answered + left) };
}
