import type { TopicRow, Topics } from "@tandem/protocol";
import { sql, type SQL } from "drizzle-orm";
import { csatOf, fromPercentilesRow, percentilesSql } from "./distribution";
import { firstResponseOf } from "./durations";
import { bucketsOf, intoBuckets, localDaySql, type Period } from "./period";
import type { Scope } from "./scope";

/** A6: conversations started in the period by tag and by the bot's intent, with their first response and CSAT. */
export async function topics(scope: Scope, p: Period = scope.period): Promise<Topics> {
  const [tags, intents] = await Promise.all([
    topicRows(scope, p, sql`JOIN conversation_tags AS ct ON ct.conversation_id = c.id`, sql`ct.tag_id`, sql`SELECT id, name, color FROM tags WHERE workspace_id = ${scope.workspaceId}`),
    topicRows(scope, p, sql``, sql`c.intent_id`, sql`SELECT id, name, NULL AS color FROM intents WHERE workspace_id = ${scope.workspaceId}`),
  ]);
  return { buckets: bucketsOf(p), tags, intents };
}

async function topicRows(scope: Scope, p: Period, join: SQL, key: SQL, names: SQL): Promise<TopicRow[]> {
  const { db } = scope;
  const from = sql`FROM conversations AS c ${join}
    WHERE ${scope.where} AND c.created_at >= ${p.lo} AND c.created_at < ${p.hi} AND ${key} IS NOT NULL`;
  // Per topic and day: conversations, and their ratings (summed per topic below).
  const [days, response, known] = await Promise.all([
    db.all<{ k: string; day: number; n: number; rated: number; total: number | null; good: number | null }>(sql`
      SELECT ${key} AS k, ${localDaySql(p, sql`c.created_at`)} AS day, COUNT(*) AS n,
        COUNT(c.rating) AS rated, SUM(c.rating) AS total, SUM(c.rating >= 4) AS good
      ${from} GROUP BY k, day`),
    db.all<Record<string, unknown>>(percentilesSql(sql`SELECT k, v FROM (SELECT ${key} AS k, ${firstResponseOf} AS v ${from}) WHERE v IS NOT NULL`)),
    db.all<{ id: string; name: string; color: string | null }>(names),
  ]);
  const byKey = new Map<string, Array<{ day: number; n: number }>>();
  const rated = new Map<string, { n: number; total: number; good: number }>();
  for (const row of days) {
    byKey.set(row.k, [...(byKey.get(row.k) ?? []), row]);
    const sum = rated.get(row.k) ?? { n: 0, total: 0, good: 0 };
    rated.set(row.k, { n: sum.n + Number(row.rated), total: sum.total + Number(row.total ?? 0), good: sum.good + Number(row.good ?? 0) });
  }
  const frt = new Map(response.map((row) => [row.k as string, fromPercentilesRow(row)]));
  return known
    .filter((topic) => byKey.has(topic.id))
    .map((topic) => {
      const series = intoBuckets(p, byKey.get(topic.id)!);
      const r = rated.get(topic.id);
      return {
        id: topic.id,
        name: topic.name,
        color: topic.color,
        count: series.reduce((a, b) => a + b, 0),
        series,
        firstResponseP50: frt.get(topic.id)?.p50 ?? null,
        csat: csatOf(Number(r?.n ?? 0), Number(r?.total ?? 0), Number(r?.good ?? 0)),
      };
    })
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
