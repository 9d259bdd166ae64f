import { EMBEDDINGS_LIMITS, type EmbeddingsProvider } from "@tandem/protocol";
import * as v from "valibot";
import { fetchOutbound, OutboundUrlError, type OutboundPolicy } from "../http/outbound-url";

/** A workspace's embeddings provider, as the embedder and the bot use it. */
export type EmbeddingsConfig = { provider: EmbeddingsProvider; url: string; key: string | null; model: string; timeoutMs: number };

/** The part of Workers AI's binding used here; a deployment without `[ai]` has none. */
export type AiBinding = { run(model: string, inputs: { text: string[] }, options?: Record<string, unknown>): Promise<unknown> };

/**
 * Vectors in the order of the texts, or why not: `retryAfterMs` when the
 * provider said when to come back, `rateLimited` for a 429 (not a failed
 * try: the provider is up and asks for time), `permanent` when trying again
 * cannot help until the settings change (a refused URL, a wrong dimension
 * count, a key or model the provider refuses).
 */
export type EmbedResult =
  | { ok: true; vectors: Float32Array[] }
  | { ok: false; error: string; retryAfterMs?: number; permanent?: boolean; rateLimited?: boolean };

const DIMENSIONS = EMBEDDINGS_LIMITS.dimensions;

const OpenAiAnswer = v.object({
  data: v.array(v.object({ embedding: v.array(v.number()), index: v.optional(v.number()) })),
});
const WorkersAiAnswer = v.object({ data: v.array(v.array(v.number())) });

/** `https://host/v1` and `https://host/v1/embeddings` both name the same endpoint. */
export function embeddingsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  return trimmed.endsWith("/embeddings") ? trimmed : `${trimmed}/embeddings`;
}

/** The model a configuration means: Workers AI's default when none is named. */
export const modelOf = (config: Pick<EmbeddingsConfig, "provider" | "model">) =>
  config.model || (config.provider === "workers-ai" ? EMBEDDINGS_LIMITS.workersAiModel : "");

/** Seconds or an HTTP date, as Retry-After may say; null when it says neither. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Checks every vector's length and makes them float32; an error names what the model gave. */
function vectorsOf(rows: number[][], count: number, model: string): EmbedResult {
  if (rows.length !== count) return { ok: false, error: `the provider answered ${rows.length} vectors for ${count} texts` };
  const wrong = rows.find((row) => row.length !== DIMENSIONS);
  if (wrong) {
    return {
      ok: false,
      permanent: true,
      error: `the model "${model}" gives vectors of ${wrong.length} dimensions; Tandem stores ${DIMENSIONS}: choose a ${DIMENSIONS}-dimension model (such as bge-m3) or one that takes "dimensions"`,
    };
  }
  return { ok: true, vectors: rows.map((row) => Float32Array.from(row)) };
}

/** Of an error's body, only this much is read: the settings page shows 300 characters of it. */
const ERROR_BODY_BYTES = 4096;
/**
 * Of an answer, at most this much per text: 1,024 floats at about 24 bytes
 * each as JSON ("-0.012345678901234567,") is 24 KiB; four times more than a
 * float's usual 32 leaves room for a wider model's vectors to be read and
 * refused with a clear error (vectorsOf), and for whitespace. A batch of 32
 * texts may answer 4 MiB and 64 KiB; one message, 192 KiB.
 */
const ANSWER_BYTES_PER_TEXT = DIMENSIONS * 32 * 4;
const ANSWER_BYTES_BASE = 64 * 1024;

/**
 * A response's body, read up to `max` bytes and no further (the rest is
 * cancelled): `over` when there was more. A provider that sends without
 * end costs this much memory and no more.
 */
async function readCapped(response: Response, max: number): Promise<{ text: string; over: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { text: "", over: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let over = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = max - size;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      size = max;
      over = true;
      await reader.cancel().catch(() => {});
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(bytes), over };
}

const clip = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 300);

async function openAi(config: EmbeddingsConfig, texts: string[], signal: AbortSignal, policy: OutboundPolicy): Promise<EmbedResult> {
  const model = modelOf(config);
  const response = await fetchOutbound(
    embeddingsUrl(config.url),
    {
      method: "POST",
      signal,
      headers: { "content-type": "application/json", ...(config.key ? { authorization: `Bearer ${config.key}` } : {}) },
      // OpenAI's text-embedding-3 models shorten their vectors on request; others are asked for none (some refuse the field).
      body: JSON.stringify({ model, input: texts, ...(/^text-embedding-3/.test(model) ? { dimensions: DIMENSIONS } : {}) }),
    },
    policy,
  );
  if (!response.ok) {
    const body = clip((await readCapped(response, ERROR_BODY_BYTES).catch(() => ({ text: "" }))).text);
    const error = `the provider answered ${response.status}${body ? `: ${body}` : ""}`;
    if (response.status === 429) return { ok: false, error, rateLimited: true, retryAfterMs: retryAfterMs(response.headers.get("retry-after")) ?? undefined };
    // A refused key or model, a bad request: the same request will be refused again.
    const permanent = response.status >= 400 && response.status < 500 && ![408, 409, 425].includes(response.status);
    return { ok: false, error, permanent };
  }
  const max = ANSWER_BYTES_BASE + texts.length * ANSWER_BYTES_PER_TEXT;
  const answer = await readCapped(response, max);
  if (answer.over) return { ok: false, error: `the provider's answer is larger than ${Math.round(max / 1024)} KiB for ${texts.length} texts` };
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    json = undefined;
  }
  const parsed = v.safeParse(OpenAiAnswer, json);
  if (!parsed.success) return { ok: false, error: "the provider's answer is not an embeddings list" };
  const rows = [...parsed.output.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding);
  return vectorsOf(rows, texts.length, model);
}

async function workersAi(config: EmbeddingsConfig, texts: string[], ai: AiBinding | undefined): Promise<EmbedResult> {
  if (!ai) return { ok: false, permanent: true, error: "this deployment has no Workers AI binding (AI); see the README" };
  const model = modelOf(config);
  const parsed = v.safeParse(WorkersAiAnswer, await ai.run(model, { text: texts }));
  if (!parsed.success) return { ok: false, error: "Workers AI's answer is not an embeddings list" };
  return vectorsOf(parsed.output.data, texts.length, model);
}

/**
 * Embeds `texts` with the workspace's provider within `timeoutMs`. Never
 * throws: any failure, including the time running out, comes back as
 * `ok: false` with a sentence for the settings page.
 */
export async function embedTexts(
  config: EmbeddingsConfig,
  texts: string[],
  options: { ai?: AiBinding; policy: OutboundPolicy; timeoutMs: number },
): Promise<EmbedResult> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The binding takes no signal: the race is what bounds it.
  const timeout = new Promise<EmbedResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, error: `no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
  });
  const call = (config.provider === "workers-ai" ? workersAi(config, texts, options.ai) : openAi(config, texts, controller.signal, options.policy)).catch(
    (error: unknown): EmbedResult => {
      if (error instanceof OutboundUrlError) return { ok: false, permanent: true, error: `url: ${error.message}` };
      if (controller.signal.aborted) return { ok: false, error: `no answer within ${options.timeoutMs} ms` };
      return { ok: false, error: `the provider could not be reached: ${clip(String((error as Error)?.message ?? error))}` };
    },
  );
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
