// A workspace's optional language model: an OpenAI-compatible chat endpoint
// the bot asks when no intent matches well. Off unless an admin turns it on.
import * as v from "valibot";
import { endpointUrl, modelName, timeoutMs, writeOnlyKey } from "./endpoint-fields";

export const MODEL_LIMITS = {
  url: 500,
  model: 100,
  key: 500,
  /** Below this a real endpoint hardly ever answers; above it the customer has waited too long. */
  minTimeoutMs: 500,
  maxTimeoutMs: 20_000,
  /** What the bot waits when none is set (worker/src/bot/llm.ts DEFAULT_TIMEOUT_MS). */
  defaultTimeoutMs: 4000,
} as const;
const L = MODEL_LIMITS;

/**
 * The settings as an admin saves them. The key is write-only: a string sets
 * it, `null` removes it, and leaving it out keeps the one stored.
 */
export const WorkspaceModel = v.pipe(
  v.strictObject({
    enabled: v.boolean(),
    url: endpointUrl(L.url),
    model: modelName(L.model),
    timeoutMs: timeoutMs(L.minTimeoutMs, L.maxTimeoutMs),
    key: writeOnlyKey(L.key),
  }),
  v.check((m) => !m.enabled || (m.url !== "" && m.model !== ""), "a model needs its URL and name to be turned on"),
);
export type WorkspaceModel = v.InferOutput<typeof WorkspaceModel>;

/** What the API answers: everything but the key, and whether one is stored. */
export type WorkspaceModelView = { enabled: boolean; url: string; model: string; timeoutMs: number; keySet: boolean };

/** The stored column as the settings page sees it; anything odd reads as unset. */
export function modelView(stored: unknown): WorkspaceModelView {
  const s = (stored ?? {}) as Record<string, unknown>;
  const timeout = Number(s.timeoutMs);
  return {
    enabled: s.enabled === true,
    url: typeof s.url === "string" ? s.url : "",
    model: typeof s.model === "string" ? s.model : "",
    timeoutMs: Number.isInteger(timeout) && timeout >= L.minTimeoutMs && timeout <= L.maxTimeoutMs ? timeout : L.defaultTimeoutMs,
    keySet: typeof s.key === "string" && s.key !== "",
  };
}
