// A workspace's optional language model: an OpenAI-compatible chat endpoint
// the bot asks when no intent matches well. Off unless an admin turns it on.
import * as v from "valibot";

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

function isHttp(text: string) {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

/**
 * The settings as an admin saves them. The key is write-only: a string sets
 * it, `null` removes it, and leaving it out keeps the one stored.
 */
export const WorkspaceModel = v.pipe(
  v.strictObject({
    enabled: v.boolean(),
    url: v.pipe(
      v.string(),
      v.trim(),
      v.maxLength(L.url, `a URL has at most ${L.url} characters`),
      v.check((url) => url === "" || isHttp(url), "the URL must start with http:// or https://"),
    ),
    model: v.pipe(v.string(), v.trim(), v.maxLength(L.model, `a model name has at most ${L.model} characters`)),
    timeoutMs: v.pipe(
      v.number("the timeout is a number of milliseconds"),
      v.integer("the timeout is a whole number of milliseconds"),
      v.minValue(L.minTimeoutMs, `the timeout is at least ${L.minTimeoutMs} ms`),
      v.maxValue(L.maxTimeoutMs, `the timeout is at most ${L.maxTimeoutMs} ms`),
    ),
    key: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.minLength(1, "the key is empty"), v.maxLength(L.key, `a key has at most ${L.key} characters`)))),
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
