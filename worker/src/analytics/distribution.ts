import { HISTOGRAM_BOUNDS, type Csat, type Distribution } from "@tandem/protocol";
import { sql, type SQL } from "drizzle-orm";

// A distribution is computed one of two ways, to the same definition
// (analytics-definitions.ts): in SQL over a query's values, so only the
// summary crosses the wire, or here over values already in hand (durations
// cut to working hours). Percentiles are nearest-rank: rank ⌈q·n⌉.

/** Nearest rank of the q-th percentile (q in whole percent) among n sorted values, 1-based. */
export const rankOf = (q: number, n: number) => Math.ceil((q * n) / 100);

export function summarize(values: number[]): Distribution {
  const sorted = values.slice().sort((a, b) => a - b);
  const n = sorted.length;
  const histogram = new Array<number>(HISTOGRAM_BOUNDS.length + 1).fill(0);
  for (const value of sorted) histogram[binOf(value)]!++;
  if (n === 0) return { n, min: null, p50: null, mean: null, p90: null, max: null, histogram };
  const at = (q: number) => sorted[rankOf(q, n) - 1]!;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  return { n, min: sorted[0]!, p50: at(50), mean: Math.round(mean), p90: at(90), max: sorted[n - 1]!, histogram };
}

/** The histogram bin of a duration: the first bound it does not exceed, or the last bin. */
export function binOf(value: number): number {
  const i = HISTOGRAM_BOUNDS.findIndex((bound) => value <= bound);
  return i === -1 ? HISTOGRAM_BOUNDS.length : i;
}

/** SQL that puts a value into its bin, as binOf does. */
export function binSql(value: SQL): SQL {
  const arms = sql.join(
    HISTOGRAM_BOUNDS.map((bound, i) => sql`WHEN ${value} <= ${bound} THEN ${i}`),
    sql` `,
  );
  return sql`(CASE ${arms} ELSE ${HISTOGRAM_BOUNDS.length} END)`;
}

/**
 * A SELECT that summarizes `values` (a query with a column `v`, and `k`
 * when partitioned) into one row per key: n, min, max, mean, p50, p90 and
 * the histogram's bins h0…h9.
 */
export function summarySql(values: SQL, partitioned = false): SQL {
  const by = partitioned ? sql`PARTITION BY k` : sql``;
  const bins = sql.join(
    [...HISTOGRAM_BOUNDS, null].map((_, i) => sql`SUM(b = ${i}) AS ${sql.raw(`h${i}`)}`),
    sql`, `,
  );
  return sql`
    WITH vals AS (${values}),
    ranked AS (
      SELECT ${partitioned ? sql`k, ` : sql``}v, ${binSql(sql`v`)} AS b,
             ROW_NUMBER() OVER (${by} ORDER BY v) AS rn, COUNT(*) OVER (${by}) AS n
      FROM vals)
    SELECT ${partitioned ? sql`k, ` : sql``}COUNT(*) AS n, MIN(v) AS min, MAX(v) AS max, AVG(v) AS mean,
      MIN(CASE WHEN rn >= (n * 50 + 99) / 100 THEN v END) AS p50,
      MIN(CASE WHEN rn >= (n * 90 + 99) / 100 THEN v END) AS p90,
      ${bins}
    FROM ranked ${partitioned ? sql`GROUP BY k` : sql``}`;
}

/**
 * A SELECT of n, p50 and p90 per key `k` of `values` (columns `k`, `v`):
 * what a table row shows, without the rest of a summary; with `distinct`,
 * also how many different `c` (a column of `values`) each key has.
 */
export function percentilesSql(values: SQL, distinct = false): SQL {
  return sql`
    WITH ranked AS (
      SELECT k, v, ${distinct ? sql`c, ` : sql``}ROW_NUMBER() OVER (PARTITION BY k ORDER BY v) AS rn, COUNT(*) OVER (PARTITION BY k) AS n FROM (${values}))
    SELECT k, MAX(n) AS n, MIN(CASE WHEN rn >= (n * 50 + 99) / 100 THEN v END) AS p50, MIN(CASE WHEN rn >= (n * 90 + 99) / 100 THEN v END) AS p90
      ${distinct ? sql`, COUNT(DISTINCT c) AS "distinct"` : sql``}
    FROM ranked GROUP BY k`;
}

type SummaryRow = Record<string, unknown>;

export function fromSummaryRow(row: SummaryRow | undefined): Distribution {
  const histogram = [...HISTOGRAM_BOUNDS, null].map((_, i) => Number(row?.[`h${i}`] ?? 0));
  const n = Number(row?.n ?? 0);
  if (!row || n === 0) return { n: 0, min: null, p50: null, mean: null, p90: null, max: null, histogram };
  const num = (key: string) => Number(row[key]);
  return { n, min: num("min"), p50: num("p50"), mean: Math.round(num("mean")), p90: num("p90"), max: num("max"), histogram };
}

/** n, p50 and p90 of a percentilesSql row. */
export function fromPercentilesRow(row: SummaryRow | undefined): { n: number; p50: number | null; p90: number | null } {
  const n = Number(row?.n ?? 0);
  if (!row || n === 0) return { n: 0, p50: null, p90: null };
  return { n, p50: Number(row.p50), p90: Number(row.p90) };
}

/** Wilson score interval's lower bound (z = 1.96) of `good` out of `n`. */
export function wilsonLower(good: number, n: number): number | null {
  if (n === 0) return null;
  const z = 1.96;
  const p = good / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/** CSAT of n ratings with their sum and count of 4–5. */
export function csatOf(n: number, sum: number, good: number): Csat {
  if (n === 0) return { n: 0, mean: null, satisfied: null, wilson: null };
  return { n, mean: sum / n, satisfied: good / n, wilson: wilsonLower(good, n) };
}

/** part / whole, or null when there is no whole. */
export const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
