// A workspace's optional embeddings provider (issue 19, the semantic tier):
// Workers AI through the deployment's `AI` binding, or any OpenAI-compatible
// `/v1/embeddings` endpoint. Off unless an admin turns it on.
import * as v from "valibot";
import { endpointUrl, modelName, timeoutMs, writeOnlyKey } from "./endpoint-fields";

export const EMBEDDINGS_LIMITS = {
  url: 500,
  model: 100,
  key: 500,
  /** Every vector is this long; a model with another length is refused, with a status that says so. */
  dimensions: 1024,
  /**
   * A customer message waits at most this long for its vector; past it, the
   * lexical matcher decides alone. The wait holds the conversation's
   * sequencer, so the most an admin may choose is 3 s.
   */
  minTimeoutMs: 100,
  maxTimeoutMs: 3000,
  defaultTimeoutMs: 800,
  /** Workers AI's multilingual model, 1024 dimensions. */
  workersAiModel: "@cf/baai/bge-m3",
} as const;
const L = EMBEDDINGS_LIMITS;

export const EMBEDDINGS_PROVIDERS = ["workers-ai", "openai"] as const;
export type EmbeddingsProvider = (typeof EMBEDDINGS_PROVIDERS)[number];

/**
 * The settings as an admin saves them. The key is write-only, as the language
 * model's: a string sets it, `null` removes it, left out keeps the stored one.
 * Workers AI needs no URL or key; an empty model means its default.
 */
export const WorkspaceEmbeddings = v.pipe(
  v.strictObject({
    enabled: v.boolean(),
    provider: v.picklist(EMBEDDINGS_PROVIDERS, "the provider is workers-ai or openai"),
    url: endpointUrl(L.url),
    model: modelName(L.model),
    timeoutMs: timeoutMs(L.minTimeoutMs, L.maxTimeoutMs),
    key: writeOnlyKey(L.key),
  }),
  v.check((e) => !e.enabled || e.provider === "workers-ai" || (e.url !== "" && e.model !== ""), "an OpenAI-compatible provider needs its URL and model to be turned on"),
);
export type WorkspaceEmbeddings = v.InferOutput<typeof WorkspaceEmbeddings>;

/** What the API answers: everything but the key, and whether one is stored. */
export type WorkspaceEmbeddingsView = {
  enabled: boolean;
  provider: EmbeddingsProvider;
  url: string;
  model: string;
  timeoutMs: number;
  keySet: boolean;
};

/** The stored column as the settings page sees it; anything odd reads as unset. */
export function embeddingsView(stored: unknown): WorkspaceEmbeddingsView {
  const s = (stored ?? {}) as Record<string, unknown>;
  const timeout = Number(s.timeoutMs);
  return {
    enabled: s.enabled === true,
    provider: s.provider === "workers-ai" ? "workers-ai" : "openai",
    url: typeof s.url === "string" ? s.url : "",
    model: typeof s.model === "string" ? s.model : "",
    // One stored under a higher maximum waits the most there is now.
    timeoutMs: Number.isInteger(timeout) && timeout >= L.minTimeoutMs ? Math.min(timeout, L.maxTimeoutMs) : L.defaultTimeoutMs,
    keySet: typeof s.key === "string" && s.key !== "",
  };
}

/** Where the knowledge base's vectors are, for the settings page. */
export type EmbeddingsStatus = {
  /** The deployment has a Workers AI binding (`AI`). */
  workersAi: boolean;
  /** Distinct phrasing texts of the knowledge base, and how many of them have a vector of the current model. */
  phrasings: number;
  embedded: number;
  pending: number;
  failed: number;
  /** The provider's last error on a failed or retried text; null when none. */
  lastError: string | null;
  /**
   * Whether the bot uses the vectors now: on, embedded, and calibrated (at
   * least two intents with two phrasings each, whose vectors tell them apart).
   */
  active: boolean;
  /** Why not, in a sentence; null when active. */
  reason: string | null;
};

export type EmbeddingsAnswer = { embeddings: WorkspaceEmbeddingsView; status: EmbeddingsStatus };
