import { embeddingsView } from "@tandem/protocol";
import type { EmbeddingsConfig } from "./provider";

/** The stored setting as the embedder and the bot use it; null when off or incomplete. */
export function readEmbeddingsConfig(stored: unknown): EmbeddingsConfig | null {
  const view = embeddingsView(stored);
  if (!view.enabled) return null;
  if (view.provider === "openai" && (!view.url || !view.model)) return null;
  const key = (stored as { key?: unknown }).key;
  return { provider: view.provider, url: view.url, model: view.model, timeoutMs: view.timeoutMs, key: typeof key === "string" && key ? key : null };
}

/**
 * The fitted mapping of a cosine to a confidence, for the vectors of `model`.
 * `fingerprint` stamps what it was fitted on — the enabled intents, their
 * texts that have vectors — and `intents` the same per intent, so that the
 * embedder recompares only the texts of intents that changed: a knowledge
 * version bump that changes neither (an accepted suggestion, an answer
 * edited) costs one read. `checkedVersion` is the knowledge version it was
 * last checked against: the bot and the settings page wake the embedder
 * when it is behind. `fit` is null when the base cannot be calibrated (or
 * is too large to search), and `reason` says why.
 */
export type SemanticCalibration = {
  model: string;
  fingerprint: string;
  checkedVersion: number;
  fit: { a: number; b: number } | null;
  reason: string | null;
  own: number;
  other: number;
  intents?: Record<string, string>;
};

/** The stored calibration; `stored` may be its JSON text (bot-context.ts reads it without `intents`). */
export function readCalibration(stored: unknown): SemanticCalibration | null {
  let s = stored as Partial<SemanticCalibration> | null;
  if (typeof stored === "string") {
    try {
      s = JSON.parse(stored) as Partial<SemanticCalibration>;
    } catch {
      return null;
    }
  }
  if (!s || typeof s.model !== "string") return null;
  const fit = s.fit && Number.isFinite(s.fit.a) && Number.isFinite(s.fit.b) ? { a: s.fit.a, b: s.fit.b } : null;
  const intents = s.intents && typeof s.intents === "object" ? s.intents : undefined;
  return {
    model: s.model,
    // One stored before fingerprints (by knowledge version) matches no base: it is checked again.
    fingerprint: typeof s.fingerprint === "string" ? s.fingerprint : "",
    checkedVersion: typeof s.checkedVersion === "number" ? s.checkedVersion : -1,
    fit,
    reason: typeof s.reason === "string" ? s.reason : null,
    own: Number(s.own) || 0,
    other: Number(s.other) || 0,
    ...(intents ? { intents } : {}),
  };
}
