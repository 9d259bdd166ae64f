import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { workspaces } from "../db/schema";
import type { OutboundPolicy } from "../http/outbound-url";
import { fitCalibration } from "./calibration";
import {
  calibrateSome,
  calibrationChunk,
  calibrationSamples,
  calibrationWanted,
  MAX_SEMANTIC_VECTORS,
  raisedOthers,
  resetAll,
  resetIntents,
  searchedPairs,
} from "./nearest";
import { embedTexts, modelOf, type AiBinding } from "./provider";
import { readCalibration, readEmbeddingsConfig, type SemanticCalibration } from "./settings";
import { batchOf, duePending, nextDue, providerNotBefore, recordFailure, saveVectors, syncVectors } from "./store";

/** Texts per provider request. */
export const BATCH = 32;
/** A background request may take this long: nobody waits on it. */
const REQUEST_TIMEOUT_MS = 30_000;
/** One pass stops after about this long and goes on in the next, so an alarm never runs for minutes. */
const PASS_BUDGET_MS = 20_000;
/** More intents changed than this (or than half of them): every text is compared again rather than followed intent by intent. */
const FOLLOWED_INTENTS = 200;

export type PassOptions = {
  ai?: AiBinding;
  policy: OutboundPolicy;
  /** The first retry's wait; each one after doubles it. */
  retryBaseMs: number;
  /** Tests only: the most vectors the tier searches (MAX_SEMANTIC_VECTORS). */
  maxVectors?: number;
  now?: () => number;
};

/**
 * When the next pass is due (`next`: now, to go on; later, for a retry;
 * null when nothing waits) and until when the provider is not to be asked
 * (`notBefore`, after a failure; the embedder wakes no earlier for a kick).
 */
export type PassResult = { next: number | null; notBefore: number | null };

/**
 * One pass of a workspace's embedder: brings the vector rows in line with
 * the knowledge base and the provider's model, embeds what is due in
 * batches, backs off the provider on a failure, and recalibrates what the
 * vectors or the intents changed. Everything it knows is in libSQL, so a
 * pass cut short anywhere is simply done again.
 */
export async function embedPass(db: Db, workspaceId: string, options: PassOptions): Promise<PassResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const [ws] = await db
    .select({ embeddings: workspaces.embeddings, version: workspaces.knowledgeVersion, calibration: workspaces.semanticCalibration })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const config = ws && readEmbeddingsConfig(ws.embeddings);
  if (!ws || !config) return { next: null, notBefore: null };
  const model = modelOf(config);

  await syncVectors(db, workspaceId, model, started);
  let notBefore = await providerNotBefore(db, workspaceId, started);
  while (notBefore === null) {
    const sentAt = now();
    const due = await duePending(db, workspaceId, sentAt, BATCH);
    if (!due.texts.length) break;
    const result = await embedTexts(config, due.texts, { ai: options.ai, policy: options.policy, timeoutMs: REQUEST_TIMEOUT_MS });
    if (result.ok) {
      await saveVectors(db, workspaceId, model, due.texts.map((text, i) => ({ text, vector: result.vectors[i] })), now());
    } else {
      // Every text waits with these: the next batch would go to the same provider.
      const until = await recordFailure(db, workspaceId, model, due.tries, result, { sentAt, now: now() }, options.retryBaseMs);
      if (!result.permanent) notBefore = until;
      // Even when new settings came meanwhile (no text took the failure): the next pass reads them.
      break;
    }
    if (now() - started > PASS_BUDGET_MS) return { next: now(), notBefore };
  }

  const stored = readCalibration(ws.calibration);
  const cut = await calibrate(db, { workspaceId, model, version: ws.version, stored, maxVectors: options.maxVectors ?? MAX_SEMANTIC_VECTORS }, () => now() - started > PASS_BUDGET_MS, now);
  if (cut) return { next: now(), notBefore };
  const due = await nextDue(db, workspaceId);
  return { next: due === null ? null : Math.max(due, notBefore ?? 0), notBefore };
}

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The stamp of what a calibration is fitted on: per intent, its texts with vectors; and all of them with the model. */
async function fingerprintOf(model: string, pairs: { intent: string; text: string }[]) {
  const texts = new Map<string, Set<string>>();
  for (const { intent, text } of pairs) (texts.get(intent) ?? texts.set(intent, new Set()).get(intent)!).add(text);
  const intents: Record<string, string> = {};
  for (const [intent, set] of texts) intents[intent] = await digest([...set].sort().join("\n"));
  const ids = Object.keys(intents).sort();
  const fingerprint = await digest([model, ...ids.map((id) => `${id} ${intents[id]}`)].join("\n"));
  return { fingerprint, intents };
}

/** Intents added, removed, or whose texts with vectors are not those of before. */
function changedIntents(before: Record<string, string>, now: Record<string, string>): string[] {
  const ids = new Set([...Object.keys(before), ...Object.keys(now)]);
  return [...ids].filter((id) => before[id] !== now[id]);
}

/**
 * Brings the calibration in line with the vectors the bot searches: nothing
 * but a stamp when they are as it was fitted on; else the texts of changed
 * intents compared again, the others' nearest other intent raised where a
 * changed intent came closer, and the fit made anew. Answers true when the
 * budget ran out first (the next pass goes on; the old fit serves meanwhile).
 */
async function calibrate(
  db: Db,
  at: { workspaceId: string; model: string; version: number; stored: SemanticCalibration | null; maxVectors: number },
  overBudget: () => boolean,
  now: () => number,
): Promise<boolean> {
  const { workspaceId, model, version, stored, maxVectors } = at;
  const save = (calibration: SemanticCalibration) => db.update(workspaces).set({ semanticCalibration: calibration }).where(eq(workspaces.id, workspaceId));
  const pairs = await searchedPairs(db, workspaceId, model, maxVectors + 1);
  const { fingerprint, intents } = await fingerprintOf(model, pairs);
  if (pairs.length > maxVectors) {
    // The scan of every message would cost too much of libSQL's CPU: the tier is off, and says why.
    if (stored?.fingerprint !== fingerprint || stored.checkedVersion !== version || stored.fit) {
      const reason = `the knowledge base has more than ${maxVectors.toLocaleString("en")} phrasings with vectors, more than the semantic tier searches for a message; turn some intents off to use it`;
      await save({ model, fingerprint, checkedVersion: version, fit: null, reason, own: 0, other: 0 });
    }
    return false;
  }
  const same = stored?.model === model && stored.fingerprint === fingerprint;
  if (!same) {
    const before = stored?.model === model && stored.fingerprint && stored.intents ? stored.intents : null;
    const changed = before ? changedIntents(before, intents) : null;
    const statements = [];
    if (!changed || changed.length > FOLLOWED_INTENTS || changed.length > Object.keys(intents).length / 2) statements.push(resetAll(db, workspaceId));
    else if (changed.length) statements.push(...(await raisedOthers(db, workspaceId, model, changed)), resetIntents(db, workspaceId, changed));
    // The new stamp commits with the reset: a pass cut short after it goes on from the rows. The old fit serves meanwhile.
    const keep = stored?.model === model ? { fit: stored.fit, reason: stored.reason, own: stored.own, other: stored.other } : { fit: null, reason: null, own: 0, other: 0 };
    statements.push(save({ model, fingerprint, intents, checkedVersion: version, ...keep }));
    await batchOf(db, statements);
  } else if (stored.checkedVersion !== version) {
    await save({ ...stored, checkedVersion: version });
  }
  let compared = 0;
  for (;;) {
    const { wanted, size } = await calibrationWanted(db, workspaceId, model);
    if (!wanted) break;
    const done = await calibrateSome(db, workspaceId, model, Math.min(wanted, calibrationChunk(size)), now());
    if (!done) break;
    compared += done;
    if (overBudget()) return true;
  }
  if (compared > 0 || !same) {
    const samples = await calibrationSamples(db, workspaceId, model);
    const { fit, reason } = fitCalibration(samples.own, samples.other);
    await save({ model, fingerprint, intents, checkedVersion: version, fit, reason, own: samples.own.length, other: samples.other.length });
  }
  return false;
}
