import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";

// The phrasing_vectors rows of one workspace: what the embedder reads and
// writes. Every statement names the workspace; none reads another's rows.

/**
 * Failed tries of the provider before the texts waiting on it are marked
 * failed; saving the settings or the retry button queues them again (a
 * knowledge change does not: the same provider would refuse them again).
 * A 429 is not a try: the provider asked for time, and gets it.
 */
export const MAX_ATTEMPTS = 5;
/** The longest wait between two tries. */
export const MAX_BACKOFF_MS = 10 * 60_000;

/** A vector as libSQL stores an F32_BLOB: its float32 bytes. */
export const vectorBytes = (vector: Float32Array) => new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);

/** Statements in one write request. */
export function batchOf(db: Db, statements: BatchItem<"sqlite">[]) {
  const [first, ...rest] = statements;
  return first ? db.batch([first, ...rest]) : Promise.resolve([]);
}

/** The workspace's phrasing texts, as SQL: of every intent, enabled or not (re-enabling one needs no new vectors). */
const texts = (workspaceId: string) =>
  sql`SELECT p.text FROM intent_phrasings p JOIN intents i ON i.id = p.intent_id WHERE i.workspace_id = ${workspaceId}`;

/**
 * Brings the rows in line with the knowledge base and the model: a row
 * (pending) for every new text, none for a text no phrasing has any more,
 * and every row made with another model pending again. It reads first and
 * writes (one request) only when something differs: the settings page and
 * the bot wake the embedder often, and most passes find nothing to change.
 * Answers how many rows it changed.
 */
export async function syncVectors(db: Db, workspaceId: string, model: string, now: number): Promise<number> {
  const [diff] = await db.all<{ missing: number; gone: number; other: number }>(sql`SELECT
    (SELECT COUNT(*) FROM (${texts(workspaceId)}) t WHERE NOT EXISTS (SELECT 1 FROM phrasing_vectors v WHERE v.workspace_id = ${workspaceId} AND v.text = t.text)) AS missing,
    (SELECT COUNT(*) FROM phrasing_vectors WHERE workspace_id = ${workspaceId} AND text NOT IN (${texts(workspaceId)})) AS gone,
    (SELECT COUNT(*) FROM phrasing_vectors WHERE workspace_id = ${workspaceId} AND model != ${model}) AS other`);
  if (!Number(diff?.missing) && !Number(diff?.gone) && !Number(diff?.other)) return 0;
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

/**
 * Until when the provider is not to be asked again: a failure of one batch
 * puts every text waiting behind it off until the same time (recordFailure),
 * and a text added meanwhile waits for it too. Null when nothing waits on a
 * failure.
 */
export async function providerNotBefore(db: Db, workspaceId: string, now: number): Promise<number | null> {
  const [row] = await db.all<{ at: number | null }>(sql`SELECT MAX(next_attempt_at) AS at FROM phrasing_vectors
    WHERE workspace_id = ${workspaceId} AND status = 'pending' AND error IS NOT NULL`);
  const at = row?.at === null || row?.at === undefined ? null : Number(row.at);
  return at !== null && at > now ? at : null;
}

/** Texts whose turn has come, oldest wait first, with the provider's failed tries so far. */
export async function duePending(db: Db, workspaceId: string, now: number, limit: number): Promise<{ texts: string[]; tries: number }> {
  const rows = await db.all<{ text: string; attempts: number }>(sql`SELECT text, attempts FROM phrasing_vectors
    WHERE workspace_id = ${workspaceId} AND status = 'pending' AND next_attempt_at <= ${now}
    ORDER BY next_attempt_at, text LIMIT ${limit}`);
  return { texts: rows.map((r) => r.text), tries: Math.max(0, ...rows.map((r) => Number(r.attempts) || 0)) };
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
 * A failed try of the provider, sent at `sentAt`. Its failure is every
 * waiting text's, not only the batch's: the next batch would go to the same
 * provider and fail the same way, so every pending text of `model` waits
 * (base · 2^tries, at most MAX_BACKOFF_MS, never sooner than the provider's
 * Retry-After), and counts the try — a 429 excepted — or is failed for good
 * after MAX_ATTEMPTS, or at once when trying again cannot help until the
 * settings change. A text queued again since the request went out (new
 * settings, the retry button) is left alone: the failure was the old
 * settings'. Answers when the provider may be asked again, or null when no
 * text took the failure.
 */
export async function recordFailure(
  db: Db,
  workspaceId: string,
  model: string,
  tries: number,
  failure: { error: string; retryAfterMs?: number; permanent?: boolean; rateLimited?: boolean },
  at: { sentAt: number; now: number },
  baseMs: number,
): Promise<number | null> {
  // A 429 that says no Retry-After is not a try either, so the tries do not grow its wait: a minute (12 × 5 s) at least.
  const floor = failure.rateLimited && failure.retryAfterMs === undefined ? 12 * baseMs : 0;
  const until = at.now + Math.max(failure.retryAfterMs ?? 0, floor, Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.min(tries, 20)));
  const counted = failure.rateLimited ? 0 : 1;
  const permanent = failure.permanent ? 1 : 0;
  const result = await db.run(sql`UPDATE phrasing_vectors SET attempts = attempts + ${counted}, error = ${failure.error}, updated_at = ${at.now},
    status = CASE WHEN ${permanent} = 1 OR attempts + ${counted} >= ${MAX_ATTEMPTS} THEN 'failed' ELSE 'pending' END,
    next_attempt_at = ${until}
    WHERE workspace_id = ${workspaceId} AND model = ${model} AND status = 'pending' AND updated_at <= ${at.sentAt}`);
  return result.rowsAffected > 0 ? until : null;
}

/** When the next pending text is due, or null when none is pending. */
export async function nextDue(db: Db, workspaceId: string): Promise<number | null> {
  const [row] = await db.all<{ at: number | null }>(sql`SELECT MIN(next_attempt_at) AS at FROM phrasing_vectors WHERE workspace_id = ${workspaceId} AND status = 'pending'`);
  return row?.at ?? null;
}

/**
 * The retry button, and saving the settings (a new key or URL may be what
 * was wrong): every failed or waiting text due now, its tries and the
 * provider's back-off forgotten.
 */
export async function retryFailed(db: Db, workspaceId: string, now: number): Promise<number> {
  const result = await db.run(sql`UPDATE phrasing_vectors SET status = 'pending', attempts = 0, error = NULL, next_attempt_at = 0, updated_at = ${now}
    WHERE workspace_id = ${workspaceId} AND status IN ('failed', 'pending')`);
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
