import type { Satisfaction } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import { share } from "./distribution";
import { spansIn } from "./durations";
import { eventsIn, everHanded, startedIn } from "./load";
import type { Period } from "./period";
import type { Scope } from "./scope";
import { csatRow, ratingsBy } from "./teams";

/** Sentiment above this is positive, below its negative negative. */
export const SENTIMENT_BAND = 0.2;

/** A5: the ratings given in the period, and the keyword sentiment of the conversations started in it. */
export async function satisfaction(scope: Scope, p: Period = scope.period): Promise<Satisfaction> {
  const { db } = scope;
  const [stars, closes, split, feeling, matched] = await Promise.all([
    db.all<{ rating: number; n: number; yes: number; no: number }>(sql`
      SELECT c.rating AS rating, COUNT(*) AS n, SUM(c.resolved = 1) AS yes, SUM(c.resolved = 0) AS no
      ${eventsIn(scope, p, sql`('rated')`)} AND c.rating IS NOT NULL GROUP BY c.rating`),
    db.all<{ n: number }>(sql`SELECT COUNT(*) AS n ${spansIn(scope, "lifetime", p)}`),
    ratingsBy(scope, p, everHanded),
    db.all<{ positive: number; neutral: number; negative: number }>(sql`
      SELECT SUM(c.sentiment > ${SENTIMENT_BAND}) AS positive, SUM(c.sentiment < ${-SENTIMENT_BAND}) AS negative,
             SUM(c.sentiment BETWEEN ${-SENTIMENT_BAND} AND ${SENTIMENT_BAND}) AS neutral
      ${startedIn(scope, p)} AND c.sentiment IS NOT NULL`),
    sentimentWords(scope, p),
  ]);
  const distribution: Satisfaction["distribution"] = [0, 0, 0, 0, 0];
  let yes = 0;
  let no = 0;
  for (const row of stars) {
    distribution[Number(row.rating) - 1] = Number(row.n);
    yes += Number(row.yes ?? 0);
    no += Number(row.no ?? 0);
  }
  const n = distribution.reduce((a, b) => a + b, 0);
  const total = distribution.reduce((sum, count, i) => sum + count * (i + 1), 0);
  const good = distribution[3] + distribution[4];
  const closed = Number(closes[0]?.n ?? 0);
  const bySplit = new Map(split.map((row) => [Number(row.k), row]));
  return {
    distribution,
    csat: csatRow({ n, total, good }),
    responseRate: share(n, closed),
    closed,
    resolved: { yes, no },
    botAlone: csatRow(bySplit.get(0)),
    withPerson: csatRow(bySplit.get(1)),
    sentiment: {
      positive: Number(feeling[0]?.positive ?? 0),
      neutral: Number(feeling[0]?.neutral ?? 0),
      negative: Number(feeling[0]?.negative ?? 0),
      words: matched,
    },
  };
}

/** The sentiment words the conversations started in the period matched, most frequent first. */
async function sentimentWords(scope: Scope, p: Period): Promise<Satisfaction["sentiment"]["words"]> {
  const rows = await scope.db.all<{ word: string; n: number }>(sql`
    SELECT w.key AS word, SUM(w.value) AS n
    FROM conversations AS c, json_each(c.sentiment_words) AS w
    WHERE ${scope.where} AND c.created_at >= ${p.lo} AND c.created_at < ${p.hi} AND c.sentiment_words != '{}'
    GROUP BY w.key ORDER BY n DESC, w.key LIMIT 30`);
  return rows.map((row) => ({ word: row.word.slice(1), sign: row.word.startsWith("-") ? -1 : 1, count: Number(row.n) }));
}
