import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { batchOf, vectorBytes } from "./store";

// Nearest phrasings by brute force over one workspace's vectors, never
// through a vector index: libSQL's index (libsql_vector_idx) is one per
// table, across every workspace, and vector_top_k answers the global top k
// before any WHERE — a workspace whose rows are not among them gets nothing
// back. The scan is exact, reads only the workspace's rows (the join starts
// from its intents), and costs about 5 ms for 300 texts and 60 ms for 9,000
// on the local sqld (README, "The semantic tier").

/** The vectors of a workspace's texts as SQL rows (intent, text, vector): `model`'s embedded ones. */
const base = (workspaceId: string, model: string, enabledOnly: boolean) => sql`
  SELECT p.intent_id AS intent, v.text AS text, v.vector AS vector
  FROM intents i JOIN intent_phrasings p ON p.intent_id = i.id
  JOIN phrasing_vectors v ON v.workspace_id = i.workspace_id AND v.text = p.text
  WHERE i.workspace_id = ${workspaceId} ${enabledOnly ? sql`AND i.enabled = 1` : sql``} AND v.status = 'embedded' AND v.model = ${model}`;

/** Each enabled intent's best cosine to `vector`, best first. */
export async function nearestIntents(db: Db, workspaceId: string, model: string, vector: Float32Array, limit = 10): Promise<{ intentId: string; cosine: number }[]> {
  const rows = await db.all<{ intentId: string; cosine: number }>(sql`
    SELECT intent AS intentId, MAX(1 - vector_distance_cos(vector, ${vectorBytes(vector)})) AS cosine
    FROM (${base(workspaceId, model, true)}) GROUP BY intent ORDER BY cosine DESC LIMIT ${limit}`);
  return rows.map((r) => ({ intentId: r.intentId, cosine: Number(r.cosine) }));
}

/** At most this many texts are compared with the rest for the calibration: enough for its two distributions. */
export const CALIBRATION_SAMPLE = 600;

/** Every row's calibration is out of date (the vectors or the intents changed). */
export async function resetCalibration(db: Db, workspaceId: string) {
  await db.run(sql`UPDATE phrasing_vectors SET loo_own = NULL, loo_other = NULL, loo_at = NULL WHERE workspace_id = ${workspaceId} AND loo_at IS NOT NULL`);
}

/** How many more texts the calibration wants compared. */
export async function calibrationWanted(db: Db, workspaceId: string, model: string): Promise<number> {
  const [row] = await db.all<{ embedded: number; done: number }>(sql`
    SELECT COUNT(*) AS embedded, COUNT(loo_at) AS done FROM phrasing_vectors WHERE workspace_id = ${workspaceId} AND model = ${model} AND status = 'embedded'`);
  return Math.max(0, Math.min(CALIBRATION_SAMPLE, Number(row?.embedded ?? 0)) - Number(row?.done ?? 0));
}

/**
 * Compares up to `limit` texts not yet calibrated with the rest of the base,
 * each left out of its own comparison: a read, then one short write, so the
 * computing never holds libSQL's write lock. Answers how many were done.
 */
export async function calibrateSome(db: Db, workspaceId: string, model: string, limit: number, now: number): Promise<number> {
  const chosen = await db.all<{ text: string }>(sql`SELECT text FROM phrasing_vectors
    WHERE workspace_id = ${workspaceId} AND model = ${model} AND status = 'embedded' AND loo_at IS NULL ORDER BY random() LIMIT ${limit}`);
  if (!chosen.length) return 0;
  const list = sql.join(
    chosen.map((c) => sql`${c.text}`),
    sql`, `,
  );
  const rows = await db.all<{ text: string; own: number | null; other: number | null }>(sql`
    WITH b AS (${base(workspaceId, model, false)})
    SELECT q.text AS text,
      MAX(CASE WHEN b.intent = q.intent THEN 1 - vector_distance_cos(q.vector, b.vector) END) AS own,
      MAX(CASE WHEN b.intent != q.intent THEN 1 - vector_distance_cos(q.vector, b.vector) END) AS other
    FROM b AS q JOIN b ON b.text != q.text
    WHERE q.text IN (${list})
    GROUP BY q.text`);
  const found = new Map(rows.map((r) => [r.text, r]));
  await batchOf(
    db,
    chosen.map(({ text }) => {
      const r = found.get(text);
      return db.run(sql`UPDATE phrasing_vectors SET loo_own = ${r?.own ?? null}, loo_other = ${r?.other ?? null}, loo_at = ${now}
        WHERE workspace_id = ${workspaceId} AND text = ${text} AND model = ${model}`);
    }),
  );
  return chosen.length;
}

/** The calibration's two samples: own-intent and nearest-other cosines of every compared text. */
export async function calibrationSamples(db: Db, workspaceId: string, model: string): Promise<{ own: number[]; other: number[] }> {
  const rows = await db.all<{ own: number | null; other: number | null }>(sql`
    SELECT loo_own AS own, loo_other AS other FROM phrasing_vectors
    WHERE workspace_id = ${workspaceId} AND model = ${model} AND status = 'embedded' AND loo_at IS NOT NULL`);
  return {
    own: rows.flatMap((r) => (r.own === null ? [] : [Number(r.own)])),
    other: rows.flatMap((r) => (r.other === null ? [] : [Number(r.other)])),
  };
}
