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

/**
 * The most vectors a message's scan reads: about 140 ms of sqld's CPU at
 * the 7 µs a vector measured (64 ms for 9,000), well inside the default
 * 800 ms that also pays for embedding the message. A base with more
 * vectors of enabled intents has the tier switched off, with a status that
 * says why (embed-pass.ts); the scan is bounded here too, for the moments
 * between a base growing and the embedder noticing.
 */
export const MAX_SEMANTIC_VECTORS = 20_000;

/** The vectors of the workspace's enabled intents' texts as SQL rows: `model`'s embedded ones, with their calibration figures. */
const base = (workspaceId: string, model: string) => sql`
  SELECT p.intent_id AS intent, v.text AS text, v.vector AS vector, v.loo_at AS loo_at, v.loo_other AS loo_other
  FROM intents i JOIN intent_phrasings p ON p.intent_id = i.id
  JOIN phrasing_vectors v ON v.workspace_id = i.workspace_id AND v.text = p.text
  WHERE i.workspace_id = ${workspaceId} AND i.enabled = 1 AND v.status = 'embedded' AND v.model = ${model}`;

const list = (values: string[]) =>
  sql.join(
    values.map((x) => sql`${x}`),
    sql`, `,
  );

/**
 * Every enabled intent that has at least one vector, with its best cosine
 * to `vector`, best first: an intent absent from the answer has no vector
 * yet, and the bot leaves its lexical confidence alone (fuse.ts). At most
 * `maxVectors` vectors are read.
 */
export async function nearestIntents(
  db: Db,
  workspaceId: string,
  model: string,
  vector: Float32Array,
  maxVectors = MAX_SEMANTIC_VECTORS,
): Promise<{ intentId: string; cosine: number }[]> {
  const rows = await db.all<{ intentId: string; cosine: number }>(sql`
    SELECT intent AS intentId, MAX(1 - vector_distance_cos(vector, ${vectorBytes(vector)})) AS cosine
    FROM (${base(workspaceId, model)} LIMIT ${maxVectors}) GROUP BY intent ORDER BY cosine DESC, intent`);
  return rows.map((r) => ({ intentId: r.intentId, cosine: Number(r.cosine) }));
}

/** The (intent, text) pairs of the vectors the bot searches, up to `limit` of them: what the calibration depends on. */
export async function searchedPairs(db: Db, workspaceId: string, model: string, limit: number): Promise<{ intent: string; text: string }[]> {
  return db.all<{ intent: string; text: string }>(sql`SELECT intent, text FROM (${base(workspaceId, model)}) LIMIT ${limit}`);
}

/**
 * How many texts are compared with the rest of a base of `size` vectors:
 * up to 600, fewer as the base grows so that one calibration reads at most
 * CALIBRATION_WORK cosines (~10 s of sqld's CPU, in queries of at most
 * QUERY_WORK). Fewer texts, each compared with the whole base: a text
 * compared with a sample of the base would see its nearest other intent
 * farther than it is, and the answer line would move down.
 */
export function calibrationSample(size: number): number {
  return Math.min(size, Math.max(MIN_SAMPLE, Math.min(600, Math.floor(CALIBRATION_WORK / Math.max(1, size)))));
}
const CALIBRATION_WORK = 1_500_000;
const MIN_SAMPLE = 100;
/** Cosines per calibration query: about 0.7 s of sqld's CPU. */
const QUERY_WORK = 100_000;
/** Texts per calibration query on a base of `size` vectors. */
export const calibrationChunk = (size: number) => Math.max(1, Math.min(50, Math.floor(QUERY_WORK / Math.max(1, size))));

/** Every row's calibration is out of date (the model changed, or too much to follow row by row). */
export const resetAll = (db: Db, workspaceId: string) =>
  db.run(sql`UPDATE phrasing_vectors SET loo_own = NULL, loo_other = NULL, loo_at = NULL WHERE workspace_id = ${workspaceId} AND loo_at IS NOT NULL`);

/** The texts of these intents (whose phrasings or vectors changed) need comparing again. */
export const resetIntents = (db: Db, workspaceId: string, intentIds: string[]) =>
  db.run(sql`UPDATE phrasing_vectors SET loo_own = NULL, loo_other = NULL, loo_at = NULL
    WHERE workspace_id = ${workspaceId} AND loo_at IS NOT NULL
    AND text IN (SELECT p.text FROM intent_phrasings p JOIN intents i ON i.id = p.intent_id WHERE i.workspace_id = ${workspaceId} AND i.id IN (${list(intentIds)}))`);

/**
 * The compared texts of the intents that did not change, against the texts
 * of those that did: a new text there may be a compared text's nearest
 * other intent now. Answers the statements that raise `loo_other` where it
 * did (the own side cannot have moved). A removed text that was someone's
 * nearest other leaves that figure a little high until the next full
 * calibration: it errs toward escalating.
 */
export async function raisedOthers(db: Db, workspaceId: string, model: string, changed: string[]) {
  if (!changed.length) return [];
  const rows = await db.all<{ text: string; was: number | null; other: number | null }>(sql`
    WITH b AS (${base(workspaceId, model)})
    SELECT q.text AS text, MAX(q.loo_other) AS was, MAX(1 - vector_distance_cos(q.vector, c.vector)) AS other
    FROM b AS q JOIN b AS c ON c.intent IN (${list(changed)}) AND c.intent != q.intent AND c.text != q.text
    WHERE q.loo_at IS NOT NULL AND q.intent NOT IN (${list(changed)})
    GROUP BY q.text`);
  return rows
    .filter((r) => r.other !== null && (r.was === null || Number(r.other) > Number(r.was)))
    .map((r) => db.run(sql`UPDATE phrasing_vectors SET loo_other = ${Number(r.other)} WHERE workspace_id = ${workspaceId} AND text = ${r.text} AND model = ${model}`));
}

/** How many more texts the calibration wants compared. */
export async function calibrationWanted(db: Db, workspaceId: string, model: string): Promise<{ wanted: number; size: number }> {
  const [row] = await db.all<{ size: number; done: number }>(sql`
    SELECT COUNT(*) AS size, COUNT(DISTINCT CASE WHEN loo_at IS NOT NULL THEN text END) AS done FROM (${base(workspaceId, model)})`);
  const size = Number(row?.size ?? 0);
  return { wanted: Math.max(0, calibrationSample(size) - Number(row?.done ?? 0)), size };
}

/**
 * Compares up to `limit` texts not yet calibrated with the rest of the base
 * the bot searches, each left out of its own comparison: a read, then one
 * short write, so the computing never holds libSQL's write lock. Answers
 * how many were done.
 */
export async function calibrateSome(db: Db, workspaceId: string, model: string, limit: number, now: number): Promise<number> {
  const chosen = await db.all<{ text: string }>(sql`SELECT text FROM (SELECT DISTINCT text FROM (${base(workspaceId, model)}) WHERE loo_at IS NULL)
    ORDER BY random() LIMIT ${limit}`);
  if (!chosen.length) return 0;
  const texts = chosen.map((c) => c.text);
  const rows = await db.all<{ text: string; own: number | null; other: number | null }>(sql`
    WITH b AS (${base(workspaceId, model)})
    SELECT q.text AS text,
      MAX(CASE WHEN b.intent = q.intent THEN 1 - vector_distance_cos(q.vector, b.vector) END) AS own,
      MAX(CASE WHEN b.intent != q.intent THEN 1 - vector_distance_cos(q.vector, b.vector) END) AS other
    FROM b AS q JOIN b ON b.text != q.text
    WHERE q.text IN (${list(texts)})
    GROUP BY q.text`);
  const found = new Map(rows.map((r) => [r.text, r]));
  await batchOf(
    db,
    texts.map((text) => {
      const r = found.get(text);
      return db.run(sql`UPDATE phrasing_vectors SET loo_own = ${r?.own ?? null}, loo_other = ${r?.other ?? null}, loo_at = ${now}
        WHERE workspace_id = ${workspaceId} AND text = ${text} AND model = ${model}`);
    }),
  );
  return texts.length;
}

/** The calibration's two samples: own-intent and nearest-other cosines of every compared text the bot searches. */
export async function calibrationSamples(db: Db, workspaceId: string, model: string): Promise<{ own: number[]; other: number[] }> {
  const rows = await db.all<{ own: number | null; other: number | null }>(sql`
    SELECT v.loo_own AS own, v.loo_other AS other FROM phrasing_vectors v
    WHERE v.workspace_id = ${workspaceId} AND v.model = ${model} AND v.status = 'embedded' AND v.loo_at IS NOT NULL
    AND v.text IN (SELECT text FROM (${base(workspaceId, model)}))`);
  return {
    own: rows.flatMap((r) => (r.own === null ? [] : [Number(r.own)])),
    other: rows.flatMap((r) => (r.other === null ? [] : [Number(r.other)])),
  };
}
