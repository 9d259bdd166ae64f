import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

// The phrasing_vectors rows of one workspace: what the embedder reads and
// writes. Every statement names the workspace; none reads another's rows.

/** Tries before a text is marked failed; the next knowledge change or the retry button queues it again. */
export const MAX_ATTEMPTS = 5;
/** The longest wait between two tries. */
export const MAX_BACKOFF_MS = 10 * 60_000;

/** A vector as libSQL stores an F32_BLOB: its float32 bytes. */
export const vectorBytes = (vector: Float32Array) => new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);

/** Statements in one write request. */
export function batchOf(db: Db, statements: ReturnType<Db["run"]>[]) {
  const [first, ...rest] = statements;
  return first ? db.batch([first, ...rest]) : Promise.resolve([]);
}

/** The workspace's phrasing texts, as SQL: of every intent, enabled or not (re-enabling one needs no new vectors). */
const texts = (workspaceId: string) =>
  sql`SELECT p.text FROM intent_phrasings p JOIN intents i ON i.id = p.intent_id WHERE i.workspace_id = ${workspaceId}`;

/**
 * Brings the rows in line with the knowledge base and the model, in one
 * write request: a row (pending) for every new text, none for a text no
 * phrasing has any more, and every row made with another model pending
 * again. Answers how many rows it changed.
 */
export async function syncVectors(db: Db, workspaceId: string, model: string, now: number): Promise<number> {
  const results = await db.batch([
    db.run(sql`INSERT INTO phrasing_vectors (workspace_id, text, model, status, next_attempt_at, updated_at)
      SELECT DISTINCT ${workspaceId}, text, ${model}, 'pending', 0, ${now} FROM (${texts(workspaceId)}) WHERE true
      ON CONFLICT (workspace_id, text) DO NOTHING`),
    db.run(sql`DELETE FROM phrasing_vectors WHERE workspace_id = ${workspaceId} AND text NOT IN (${texts(workspaceId)})`),
    db.run(sql`UPDATE phrasing_vectors SET model = ${model}, status = 'pending', vector = NULL, attempts = 0, error = NULL,
      next_attempt_at = 0, loo_own = NULL, loo_other = NULL, loo_at = NULL, updated_at = ${now}
      WHERE workspace_id = ${workspaceId} AND model != ${model}`),
  ]);
  return results.reduce((sum, r) => sum + r.rowsAffected, 0);
}

/** Texts whose turn has come, oldest wait first. */
export async function duePending(db: Db, workspaceId: string, now: number, limit: number): Promise<string[]> {
  const rows = await db.all<{ text: string }>(sql`SELECT text FROM phrasing_vectors
    WHERE workspace_id = ${workspaceId} AND status = 'pending' AND next_attempt_at <= ${now}
    ORDER BY next_attempt_at, text LIMIT ${limit}`);
  return rows.map((r) => r.text);
}

/** Stores vectors of `model`; a row whose model changed meanwhile is left for the next pass. */
export async function saveVectors(db: Db, workspaceId: string, model: string, items: { text: string; vector: Float32Array }[], now: number) {
  if (!items.length) return;
  await batchOf(db, items.map(({ text, vector }) =>
      db.run(sql`UPDATE phrasing_vectors SET vector = ${vectorBytes(vector)}, status = 'embedded', attempts = 0, error = NULL,
        loo_own = NULL, loo_other = NULL, loo_at = NULL, updated_at = ${now}
        WHERE workspace_id = ${workspaceId} AND text = ${text} AND model = ${model} AND status = 'pending'`),
    ),
  );
}

/**
 * A failed try for these texts: again after a growing wait (base · 2^tries,
 * at most MAX_BACKOFF_MS, never sooner than the provider's Retry-After), or
 * failed for good after MAX_ATTEMPTS or when trying again cannot help.
 */
export async function recordFailure(
  db: Db,
  workspaceId: string,
  model: string,
  textsFailed: string[],
  failure: { error: string; retryAfterMs?: number; permanent?: boolean },
  now: number,
  baseMs: number,
) {
  const retryAfter = failure.retryAfterMs ?? 0;
  const permanent = failure.permanent ? 1 : 0;
  await batchOf(db, textsFailed.map((text) =>
      db.run(sql`UPDATE phrasing_vectors SET attempts = attempts + 1, error = ${failure.error}, updated_at = ${now},
        status = CASE WHEN ${permanent} = 1 OR attempts + 1 >= ${MAX_ATTEMPTS} THEN 'failed' ELSE 'pending' END,
        next_attempt_at = ${now} + MAX(${retryAfter}, MIN(${MAX_BACKOFF_MS}, ${baseMs} * (1 << MIN(attempts, 20))))
        WHERE workspace_id = ${workspaceId} AND text = ${text} AND model = ${model} AND status = 'pending'`),
    ),
  );
}

/** When the next pending text is due, or null when none is pending. */
export async function nextDue(db: Db, workspaceId: string): Promise<number | null> {
  const [row] = await db.all<{ at: number | null }>(sql`SELECT MIN(next_attempt_at) AS at FROM phrasing_vectors WHERE workspace_id = ${workspaceId} AND status = 'pending'`);
  return row?.at ?? null;
}

/** The retry button: every failed text pending again, at once. */
export async function retryFailed(db: Db, workspaceId: string, now: number): Promise<number> {
  const result = await db.run(sql`UPDATE phrasing_vectors SET status = 'pending', attempts = 0, next_attempt_at = 0, updated_at = ${now}
    WHERE workspace_id = ${workspaceId} AND status = 'failed'`);
  return result.rowsAffected;
}

/** Counts for the settings page: texts without a row yet (the embedder has not run since they came) count as pending. */
export async function vectorCounts(db: Db, workspaceId: string, model: string) {
  const [counts] = await db.all<{ phrasings: number; embedded: number | null; failed: number | null; lastError: string | null }>(sql`
    SELECT
      (SELECT COUNT(DISTINCT text) FROM (${texts(workspaceId)})) AS phrasings,
      (SELECT COUNT(*) FROM phrasing_vectors WHERE workspace_id = ${workspaceId} AND model = ${model} AND status = 'embedded') AS embedded,
      (SELECT COUNT(*) FROM phrasing_vectors WHERE workspace_id = ${workspaceId} AND model = ${model} AND status = 'failed') AS failed,
      (SELECT error FROM phrasing_vectors WHERE workspace_id = ${workspaceId} AND error IS NOT NULL ORDER BY updated_at DESC LIMIT 1) AS lastError`);
  const phrasings = Number(counts?.phrasings ?? 0);
  const embedded = Number(counts?.embedded ?? 0);
  const failed = Number(counts?.failed ?? 0);
  return { phrasings, embedded, failed, pending: Math.max(0, phrasings - embedded - failed), lastError: counts?.lastError ?? null };
}
