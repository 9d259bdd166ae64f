import type { Db } from "../../db/client";
import { confidenceOf, type Fit } from "../../embeddings/calibration";
import { nearestIntents } from "../../embeddings/nearest";
import { embedTexts, type AiBinding, type EmbeddingsConfig } from "../../embeddings/provider";
import type { OutboundPolicy } from "../../http/outbound-url";
import type { Match } from "../matcher";

/** A workspace's semantic tier, ready to use: its provider, and the fit for the model its vectors are of. */
export type SemanticSetup = { workspaceId: string; config: EmbeddingsConfig; model: string; fit: Fit };

/** How many intents the semantic tier ranks for a message. */
const NEAREST = 10;

/**
 * The message's intents by meaning, with calibrated confidences, or null
 * when the provider or the vectors cannot say within the workspace's
 * timeout. The timeout bounds the whole of it: embedding the message and
 * the nearest-phrasings query.
 */
export async function semanticMatches(db: Db, setup: SemanticSetup, text: string, deps: { ai?: AiBinding; policy: OutboundPolicy }): Promise<Match[] | null> {
  const timeoutMs = setup.config.timeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const work = (async () => {
    const embedded = await embedTexts(setup.config, [text], { ai: deps.ai, policy: deps.policy, timeoutMs });
    if (!embedded.ok) return null;
    const nearest = await nearestIntents(db, setup.workspaceId, setup.model, embedded.vectors[0], NEAREST);
    return nearest.map((n) => ({ intentId: n.intentId, confidence: confidenceOf(setup.fit, n.cosine) }));
  })().catch(() => null);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
