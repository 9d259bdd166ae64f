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
 * The fitted mapping of a cosine to a confidence, for the vectors of `model`,
 * as of knowledge version `version`; `fit` is null when the base cannot be
 * calibrated, and `reason` says why.
 */
export type SemanticCalibration = { model: string; version: number; fit: { a: number; b: number } | null; reason: string | null; own: number; other: number };

export function readCalibration(stored: unknown): SemanticCalibration | null {
  const s = stored as Partial<SemanticCalibration> | null;
  if (!s || typeof s.model !== "string" || typeof s.version !== "number") return null;
  const fit = s.fit && Number.isFinite(s.fit.a) && Number.isFinite(s.fit.b) ? { a: s.fit.a, b: s.fit.b } : null;
  return { model: s.model, version: s.version, fit, reason: typeof s.reason === "string" ? s.reason : null, own: Number(s.own) || 0, other: Number(s.other) || 0 };
}
