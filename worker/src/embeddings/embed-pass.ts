import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { workspaces } from "../db/schema";
import type { OutboundPolicy } from "../http/outbound-url";
import { fitCalibration } from "./calibration";
import { calibrateSome, calibrationSamples, calibrationWanted, resetCalibration } from "./nearest";
import { embedTexts, modelOf, type AiBinding } from "./provider";
import { readCalibration, readEmbeddingsConfig, type SemanticCalibration } from "./settings";
import { duePending, nextDue, recordFailure, saveVectors, syncVectors } from "./store";

/** Texts per provider request. */
export const BATCH = 32;
/** Texts compared per calibration read. */
const CALIBRATION_CHUNK = 50;
/** A background request may take this long: nobody waits on it. */
const REQUEST_TIMEOUT_MS = 30_000;
/** One pass stops after about this long and goes on in the next, so an alarm never runs for minutes. */
const PASS_BUDGET_MS = 20_000;

export type PassOptions = {
  ai?: AiBinding;
  policy: OutboundPolicy;
  /** The first retry's wait; each one after doubles it. */
  retryBaseMs: number;
  now?: () => number;
};

/**
 * One pass of a workspace's embedder: brings the vector rows in line with
 * the knowledge base and the provider's model, embeds what is due in
 * batches, records failures for a later retry, and recalibrates when the
 * vectors or the intents changed. Everything it knows is in libSQL, so a
 * pass cut short anywhere is simply done again. Answers when the next pass
 * is due (now, to go on; later, for a retry), or null when nothing waits.
 */
export async function embedPass(db: Db, workspaceId: string, options: PassOptions): Promise<number | null> {
  const now = options.now ?? Date.now;
  const started = now();
  const [ws] = await db
    .select({ embeddings: workspaces.embeddings, version: workspaces.knowledgeVersion, calibration: workspaces.semanticCalibration })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const config = ws && readEmbeddingsConfig(ws.embeddings);
  if (!ws || !config) return null;
  const model = modelOf(config);

  let changed = (await syncVectors(db, workspaceId, model, started)) > 0;
  for (;;) {
    const due = await duePending(db, workspaceId, now(), BATCH);
    if (!due.length) break;
    const result = await embedTexts(config, due, { ai: options.ai, policy: options.policy, timeoutMs: REQUEST_TIMEOUT_MS });
    if (result.ok) {
      await saveVectors(db, workspaceId, model, due.map((text, i) => ({ text, vector: result.vectors[i] })), now());
      changed = true;
    } else {
      await recordFailure(db, workspaceId, model, due, result, now(), options.retryBaseMs);
      // The same provider will likely refuse the next batch too: wait for the retry.
      break;
    }
    if (now() - started > PASS_BUDGET_MS) return now();
  }

  const stored = readCalibration(ws.calibration);
  const stale = !stored || stored.model !== model || stored.version !== ws.version;
  // The intents may have moved without any new vector (a phrasing moved, an intent disabled): recompute then too.
  if (changed || stale) await resetCalibration(db, workspaceId);
  let compared = 0;
  while ((await calibrationWanted(db, workspaceId, model)) > 0) {
    compared += await calibrateSome(db, workspaceId, model, CALIBRATION_CHUNK, now());
    if (now() - started > PASS_BUDGET_MS) return now();
  }
  if (compared > 0 || changed || stale) {
    const samples = await calibrationSamples(db, workspaceId, model);
    const { fit, reason } = fitCalibration(samples.own, samples.other);
    const calibration: SemanticCalibration = { model, version: ws.version, fit, reason, own: samples.own.length, other: samples.other.length };
    await db.update(workspaces).set({ semanticCalibration: calibration }).where(eq(workspaces.id, workspaceId));
  }
  return nextDue(db, workspaceId);
}
