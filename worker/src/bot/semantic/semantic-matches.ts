import type { Db } from "../../db/client";
import { confidenceOf, type Fit } from "../../embeddings/calibration";
import { nearestIntents } from "../../embeddings/nearest";
import { embedTexts, type AiBinding, type EmbeddingsConfig } from "../../embeddings/provider";
import type { OutboundPolicy } from "../../http/outbound-url";
import type { Match } from "../matcher";

/** A workspace's semantic tier, ready to use: its provider, and the fit for the model its vectors are of. */
export type SemanticSetup = { workspaceId: string; config: EmbeddingsConfig; model: string; fit: Fit };

/** After this many failures or timeouts in a row, a workspace's tier is skipped for a while (in this isolate). */
export const BREAKER_FAILURES = 3;
/** How long it is skipped; each failed try after that doubles it, up to BREAKER_MAX_MS. */
export const BREAKER_COOLDOWN_MS = 30_000;
const BREAKER_MAX_MS = 5 * 60_000;
/** Workspaces whose breaker an isolate remembers. */
const BREAKERS_KEPT = 1_000;

/**
 * Consecutive failures per workspace and provider: a provider that is down
 * or slow would otherwise hold every conversation's sequencer for the whole
 * timeout on every message, and keep libSQL scanning for answers nobody
 * waits for. Per isolate, on purpose: nothing to store, and a new isolate
 * tries the provider again.
 */
const breakers = new Map<string, { failures: number; openUntil: number }>();

const breakerKey = (setup: SemanticSetup) => [setup.workspaceId, setup.config.provider, setup.config.url, setup.model].join("\n");

/**
 * The message's intents by meaning, with calibrated confidences — every
 * enabled intent with a vector, so an intent missing from the list has none
 * (fuse.ts) — or null when the provider or the vectors cannot say within
 * the workspace's timeout, or failed too often of late (the breaker). The
 * timeout bounds the whole of it: embedding the message and the
 * nearest-phrasings query.
 */
export async function semanticMatches(
  db: Db,
  setup: SemanticSetup,
  text: string,
  deps: { ai?: AiBinding; policy: OutboundPolicy; now?: () => number },
): Promise<Match[] | null> {
  const now = deps.now ?? Date.now;
  const key = breakerKey(setup);
  const breaker = breakers.get(key);
  if (breaker && breaker.openUntil > now()) return null;
  const timeoutMs = setup.config.timeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const work = (async () => {
    const embedded = await embedTexts(setup.config, [text], { ai: deps.ai, policy: deps.policy, timeoutMs });
    if (!embedded.ok) return null;
    const nearest = await nearestIntents(db, setup.workspaceId, setup.model, embedded.vectors[0]);
    return nearest.map((n) => ({ intentId: n.intentId, confidence: confidenceOf(setup.fit, n.cosine) }));
  })().catch(() => null);
  let matches: Match[] | null;
  try {
    matches = await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
  if (matches) {
    breakers.delete(key);
  } else {
    const failures = (breaker?.failures ?? 0) + 1;
    const open = failures >= BREAKER_FAILURES ? Math.min(BREAKER_MAX_MS, BREAKER_COOLDOWN_MS * 2 ** (failures - BREAKER_FAILURES)) : 0;
    breakers.delete(key);
    breakers.set(key, { failures, openUntil: open ? now() + open : 0 });
    if (breakers.size > BREAKERS_KEPT) breakers.delete(breakers.keys().next().value!);
  }
  return matches;
}
