import type { Load } from "@tandem/protocol";
import { sql, type SQL } from "drizzle-orm";
import { spansIn } from "./durations";
import { bucketsOf, intoBuckets, localDaySql, localHourSql, type Period } from "./period";
import type { Scope } from "./scope";
import { dayKey, dayStart, weekday } from "./zone";

type DayCount = { day: number; n: number };

/** Conversations started in the period (alias `c`), as a FROM … WHERE. */
export const startedIn = (scope: Scope, p: Period) =>
  sql`FROM conversations AS c WHERE ${scope.where} AND c.created_at >= ${p.lo} AND c.created_at < ${p.hi}`;

/** Events of a kind in the period on the scope's conversations (alias `e`, `c`), as a FROM … WHERE. */
export const eventsIn = (scope: Scope, p: Period, type: SQL) =>
  sql`FROM events AS e JOIN conversations AS c ON c.id = e.conversation_id
      WHERE e.workspace_id = ${scope.workspaceId} AND e.type IN ${type} AND e.at >= ${p.lo} AND e.at < ${p.hi} AND ${scope.where}`;

/** Whether a conversation (alias `c`) was ever handed to people. */
export const everHanded = sql`EXISTS (SELECT 1 FROM durations AS h WHERE h.conversation_id = c.id AND h.metric = 'handoff')`;

/** A2: conversations over time, the weekday × hour heat map, and operators' presence and throughput. */
export async function load(scope: Scope, p: Period = scope.period): Promise<Load> {
  const { db } = scope;
  const byDay = (column: SQL, from: SQL) => db.all<DayCount>(sql`SELECT ${localDaySql(p, column)} AS day, COUNT(*) AS n ${from} GROUP BY day`);
  const [started, escalated, closed, heat, operators] = await Promise.all([
    byDay(sql`c.created_at`, startedIn(scope, p)),
    byDay(sql`d.ended_at`, spansIn(scope, "handoff", p)),
    byDay(sql`d.ended_at`, spansIn(scope, "lifetime", p)),
    db.all<{ day: number; hour: number; n: number }>(
      sql`SELECT ${localDaySql(p, sql`c.created_at`)} AS day, ${localHourSql(p, sql`c.created_at`)} AS hour, COUNT(*) AS n
          ${startedIn(scope, p)} GROUP BY day, hour`,
    ),
    operatorTime(scope, p),
  ]);
  const heatmap = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const cell of heat) heatmap[weekday(Number(cell.day))]![Number(cell.hour)]! += Number(cell.n);
  return {
    buckets: bucketsOf(p),
    started: intoBuckets(p, started),
    escalated: intoBuckets(p, escalated),
    closed: intoBuckets(p, closed),
    heatmap,
    perOnlineHour: perHour(
      operators.reduce((sum, o) => sum + o.handled, 0),
      operators.reduce((sum, o) => sum + o.online, 0),
    ),
    operators,
  };
}

type Presence = "online" | "away" | "offline";

/** Conversations per online hour, or null with no online time. */
const perHour = (handled: number, onlineMs: number) => (onlineMs > 0 ? handled / (onlineMs / 3_600_000) : null);

/**
 * Each operator's online, away and offline time per local day, replayed from
 * their presence changes (the presence before the period carries in; time
 * after now is not counted), and what they handled per online hour.
 */
async function operatorTime(scope: Scope, p: Period): Promise<Load["operators"]> {
  const { db, workspaceId, query } = scope;
  const only = query.operator.length
    ? sql`AND m.operator_id IN (${sql.join(
        query.operator.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql``;
  const [people, changes, handled] = await Promise.all([
    db.all<{ id: string; name: string; before: string | null }>(sql`
      SELECT o.id, o.name,
        -- The membership keeps the latest change: with none there is no log to search, and one before the period is the answer.
        CASE WHEN m.presence_at IS NULL THEN NULL WHEN m.presence_at < ${p.lo} THEN m.presence ELSE
          (SELECT json_extract(e.data, '$.presence') FROM events AS e
            WHERE e.workspace_id = m.workspace_id AND e.type = 'presence' AND e.at < ${p.lo}
              AND json_extract(e.data, '$.operatorId') = m.operator_id
            ORDER BY e.at DESC, e.id DESC LIMIT 1) END AS before
      FROM memberships AS m JOIN operators AS o ON o.id = m.operator_id
      WHERE m.workspace_id = ${workspaceId} ${only} ORDER BY o.name, o.id`),
    db.all<{ op: string; presence: Presence; at: number }>(sql`
      SELECT json_extract(e.data, '$.operatorId') AS op, json_extract(e.data, '$.presence') AS presence, e.at
      FROM events AS e WHERE e.workspace_id = ${workspaceId} AND e.type = 'presence' AND e.at >= ${p.lo} AND e.at < ${p.hi}
      ORDER BY e.at, e.id`),
    db.all<{ op: string; n: number }>(sql`SELECT d.operator_id AS op, COUNT(DISTINCT d.conversation_id) AS n ${spansIn(scope, "lifetime", p)} GROUP BY op`),
  ]);
  const handledBy = new Map(handled.map((r) => [r.op, Number(r.n)]));
  const end = Math.min(p.hi, scope.now);
  const dayStarts: number[] = [];
  for (let day = p.firstDay; day <= p.lastDay + 1; day++) dayStarts.push(dayStart(p.zone, day));

  return people.map((person) => {
    const days = dayStarts.slice(0, -1).map((_, i) => ({ day: dayKey(p.firstDay + i), online: 0, away: 0, offline: 0 }));
    let state: Presence = (person.before as Presence | null) ?? "offline";
    let since = p.lo;
    const credit = (until: number) => {
      // Split [since, until) over the local days it spans.
      for (let i = 0; i < days.length; i++) {
        const lo = Math.max(since, dayStarts[i]!);
        const hi = Math.min(until, dayStarts[i + 1]!);
        if (hi > lo) days[i]![state] += hi - lo;
      }
    };
    for (const change of changes) {
      if (change.op !== person.id) continue;
      const at = Math.min(Number(change.at), end);
      credit(at);
      state = change.presence;
      since = at;
    }
    if (end > since) credit(end);
    const online = days.reduce((sum, d) => sum + d.online, 0);
    const away = days.reduce((sum, d) => sum + d.away, 0);
    const done = handledBy.get(person.id) ?? 0;
    return { id: person.id, name: person.name, days, online, away, perOnlineHour: perHour(done, online), handled: done };
  });
}
