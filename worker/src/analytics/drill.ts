import type { DrillPage, DrillRow, DurationMetric } from "@tandem/protocol";
import { sql, type SQL } from "drizzle-orm";
import { firstHandoff, reasonOf, SETTLED_MS, withBot } from "./automation";
import { binOf, binSql } from "./distribution";
import { durationRows, spansIn } from "./durations";
import { eventsIn, everHanded, startedIn } from "./load";
import { bucketRange, localDaySql, localHourSql, type Period } from "./period";
import { SENTIMENT_BAND } from "./satisfaction";
import type { Scope } from "./scope";
import { siteHours } from "./speed";
import { withinHours } from "./working-hours";
import { weekday } from "./zone";

export const DRILL_PAGE = 50;

type Hit = { cid: string; v: number | null };

/**
 * The conversations behind one bar, cell, bin or row of a view (a `Drill`
 * string, see protocol), a page at a time by id. Each kind selects the same
 * rows its figure counted.
 */
export async function drill(scope: Scope, spec: string, after: string | null): Promise<DrillPage> {
  const hits = await hitsOf(scope, spec, after);
  const byId = new Map<string, number | null>();
  for (const hit of hits) {
    if (after !== null && hit.cid <= after) continue;
    const seen = byId.get(hit.cid);
    byId.set(hit.cid, seen === undefined ? hit.v : Math.max(seen ?? 0, hit.v ?? 0));
  }
  const ids = [...byId.keys()].sort().slice(0, DRILL_PAGE + 1);
  const page = ids.slice(0, DRILL_PAGE);
  const rows = page.length ? await details(scope, page) : [];
  return {
    rows: rows.map((row) => ({ ...row, value: byId.get(row.id) ?? null })),
    next: ids.length > DRILL_PAGE ? page.at(-1)! : null,
  };
}

const p = (scope: Scope) => scope.period;

async function hitsOf(scope: Scope, spec: string, after: string | null): Promise<Hit[]> {
  const [kind, a = "", b = "", c = ""] = spec.split(":");
  // A page of a query's conversations, cut in SQL: the page after `after`, and one more to know there is a next.
  const list = (_: Scope, query: SQL) =>
    scope.db.all<Hit>(sql`SELECT cid, MAX(v) AS v FROM (${query}) WHERE cid > ${after ?? ""} GROUP BY cid ORDER BY cid LIMIT ${DRILL_PAGE + 1}`);
  switch (kind) {
    case "series": {
      const range = bucketRange(p(scope), b);
      if (!range) return [];
      const within = { ...p(scope), lo: range.lo, hi: range.hi };
      if (a === "started") return list(scope, sql`SELECT c.id AS cid, NULL AS v ${startedIn(scope, within)}`);
      return list(scope, sql`SELECT d.conversation_id AS cid, NULL AS v ${spansIn(scope, a === "escalated" ? "handoff" : "lifetime", within)}`);
    }
    case "heat": {
      const rows = await scope.db.all<{ cid: string; day: number; hour: number }>(
        sql`SELECT c.id AS cid, ${localDaySql(p(scope), sql`c.created_at`)} AS day, ${localHourSql(p(scope), sql`c.created_at`)} AS hour ${startedIn(scope, p(scope))}`,
      );
      return rows.filter((r) => weekday(Number(r.day)) === Number(a) && Number(r.hour) === Number(b)).map((r) => ({ cid: r.cid, v: null }));
    }
    case "metric":
    case "hist":
      return durations(scope, a as DurationMetric, kind === "hist" ? Number(b) : null, list);
    case "abandoned":
      return list(scope, sql`SELECT d.conversation_id AS cid, NULL AS v ${spansIn(scope, "queueLeft", p(scope))}`);
    case "trend": {
      const range = bucketRange(p(scope), b);
      if (!range) return [];
      const kinds = { withBot: "all", resolvedAlone: "alone", handedOff: "handed" } as const;
      return botConversations(scope, { ...p(scope), lo: range.lo, hi: range.hi }, kinds[a as keyof typeof kinds] ?? "all", null);
    }
    case "topic": {
      const range = bucketRange(p(scope), c);
      if (!range) return [];
      const within = { ...p(scope), lo: range.lo, hi: range.hi };
      const has = a === "tag" ? sql`EXISTS (SELECT 1 FROM conversation_tags AS t WHERE t.conversation_id = c.id AND t.tag_id = ${b})` : sql`c.intent_id = ${b}`;
      return list(scope, sql`SELECT c.id AS cid, NULL AS v ${startedIn(scope, within)} AND ${has}`);
    }
    case "resolved":
      return list(scope, sql`SELECT c.id AS cid, c.rating AS v ${eventsIn(scope, p(scope), sql`('rated')`)} AND c.resolved = ${a === "yes" ? 1 : 0}`);
    case "csat":
      return list(scope, sql`SELECT c.id AS cid, c.rating AS v ${eventsIn(scope, p(scope), sql`('rated')`)} AND c.rating IS NOT NULL
        AND ${a === "alone" ? sql`NOT ` : sql``}${everHanded}`);
    case "word": {
      const word = spec.slice("word:".length);
      return list(scope, sql`SELECT c.id AS cid, json_extract(c.sentiment_words, ${`$."${word}"`}) AS v ${startedIn(scope, p(scope))}
        AND json_extract(c.sentiment_words, ${`$."${word}"`}) IS NOT NULL`);
    }
    case "handed":
      return botConversations(scope, p(scope), "handed", null);
    case "alone":
      return botConversations(scope, p(scope), "alone", null);
    case "reason":
      return botConversations(scope, p(scope), "handed", a);
    case "rated":
    case "rating":
      return list(scope, sql`SELECT c.id AS cid, c.rating AS v ${eventsIn(scope, p(scope), sql`('rated')`)} AND c.rating IS NOT NULL
        ${kind === "rating" ? sql`AND c.rating = ${Number(a)}` : sql``}`);
    case "sentiment": {
      const band = a === "positive" ? sql`c.sentiment > ${SENTIMENT_BAND}` : a === "negative" ? sql`c.sentiment < ${-SENTIMENT_BAND}` : sql`c.sentiment BETWEEN ${-SENTIMENT_BAND} AND ${SENTIMENT_BAND}`;
      return list(scope, sql`SELECT c.id AS cid, NULL AS v ${startedIn(scope, p(scope))} AND ${band}`);
    }
    case "tag":
      return list(scope, sql`SELECT c.id AS cid, NULL AS v ${startedIn(scope, p(scope))}
        AND EXISTS (SELECT 1 FROM conversation_tags AS t WHERE t.conversation_id = c.id AND t.tag_id = ${a})`);
    case "intent":
      return list(scope, sql`SELECT c.id AS cid, NULL AS v ${startedIn(scope, p(scope))} AND c.intent_id = ${a}`);
    case "operator":
    case "group":
      return list(scope, sql`SELECT d.conversation_id AS cid, NULL AS v ${spansIn(scope, "lifetime", p(scope))}
        AND ${kind === "operator" ? sql`d.operator_id` : sql`d.group_id`} = ${a}`);
    default:
      return [];
  }
}

/** The conversations the bot had that started in `within`: all, those resolved alone, or those handed off (for one reason). */
async function botConversations(scope: Scope, within: Period, which: "all" | "alone" | "handed", reason: string | null): Promise<Hit[]> {
  const rows = await scope.db.all<{ cid: string; handoff: string | null; alone: number }>(sql`
    SELECT cid, handoff, (handoff IS NULL AND status = 'closed' AND closed_at <= ${scope.now - SETTLED_MS}) AS alone FROM (
      SELECT c.id AS cid, c.status, c.closed_at, ${firstHandoff} AS handoff
      ${startedIn(scope, within)} AND ${withBot})`);
  const reasonOfRow = (handoff: string) => reasonOf(handoff.slice(0, handoff.indexOf("|")), handoff.slice(handoff.indexOf("|") + 1) || null);
  return rows
    .filter((r) => (which === "all" ? true : which === "alone" ? Number(r.alone) === 1 : r.handoff !== null && (reason === null || reasonOfRow(r.handoff) === reason)))
    .map((r) => ({ cid: r.cid, v: null }));
}

/** A duration metric's conversations, with their value; within one histogram bin when given. */
async function durations(scope: Scope, metric: DurationMetric, bin: number | null, list: (scope: Scope, query: SQL) => Promise<Hit[]>): Promise<Hit[]> {
  if (scope.query.hours === "all") {
    return list(scope, sql`SELECT cid, v FROM (${durationRows(scope, metric)}) ${bin === null ? sql`` : sql`WHERE ${binSql(sql`v`)} = ${bin}`}`);
  }
  const [rows, hours] = await Promise.all([
    scope.db.all<{ cid: string; site: string | null; start: number; end: number }>(durationRows(scope, metric)),
    siteHours(scope),
  ]);
  return rows
    .map((r) => ({ cid: r.cid, v: withinHours(hours.get(r.site ?? "") ?? {}, Number(r.start), Number(r.end)) }))
    .filter((hit) => bin === null || binOf(hit.v) === bin);
}

async function details(scope: Scope, ids: string[]): Promise<Omit<DrillRow, "value">[]> {
  const rows = await scope.db.all<Omit<DrillRow, "value">>(sql`
    SELECT c.id, c.created_at AS createdAt, c.status, c.channel, COALESCE(k.name, k.email, k.phone) AS contact,
           o.name AS operator, g.name AS "group", c.rating
    FROM conversations AS c
      JOIN contacts AS k ON k.id = c.contact_id
      LEFT JOIN operators AS o ON o.id = c.assignee_id
      LEFT JOIN groups AS g ON g.id = c.group_id
    WHERE c.workspace_id = ${scope.workspaceId} AND c.id IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})
    ORDER BY c.id`);
  return rows.map((row) => ({ ...row, createdAt: Number(row.createdAt), rating: row.rating === null ? null : Number(row.rating) }));
}
