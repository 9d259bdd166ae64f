import { DurableObject } from "cloudflare:workers";
import { createDb } from "../db/client";
import type { Env } from "../env";
import { outboundPolicy } from "../http/outbound-url";
import { embedPass } from "./embed-pass";

/** The first retry's wait, doubled for each one after (EMBEDDING_RETRY_MS shortens it in the tests). */
export const RETRY_BASE_MS = 5_000;

/**
 * Why the embedder is told to look: `change` — the knowledge base changed,
 * there may be new texts (the alarm comes forward, though never before a
 * failing provider's back-off ends); `settings` — the provider's settings
 * were saved or the retry button pressed (the back-off is over: it was
 * perhaps the settings that failed); `look` — someone saw work waiting (the
 * settings page, the bot): an alarm already set stays where it is.
 */
export type KickReason = "change" | "settings" | "look";

/**
 * A workspace's embedder (issue 19): one Durable Object per workspace whose
 * alarm works through the workspace's pending phrasing vectors (see
 * embed-pass.ts). It keeps only its workspace's id, its alarm, and until
 * when its provider is not to be asked (a copy of what the rows say): the
 * work itself is in libSQL, so a restart, an eviction or a lost alarm loses
 * nothing — the next kick starts where the rows say.
 */
export class Embedder extends DurableObject<Env> {
  /** Work soon (see KickReason). */
  async kick(workspaceId: string, reason: KickReason = "change"): Promise<void> {
    if ((await this.ctx.storage.get<string>("workspace")) !== workspaceId) await this.ctx.storage.put("workspace", workspaceId);
    if (reason === "settings") await this.ctx.storage.delete("notBefore");
    const notBefore = (await this.ctx.storage.get<number>("notBefore")) ?? 0;
    const target = Math.max(Date.now(), notBefore);
    const at = await this.ctx.storage.getAlarm();
    if (at === null || (reason !== "look" && target < at)) await this.ctx.storage.setAlarm(target);
  }

  async alarm(): Promise<void> {
    const workspaceId = await this.ctx.storage.get<string>("workspace");
    if (!workspaceId) return;
    const retryBaseMs = Number(this.env.EMBEDDING_RETRY_MS) > 0 ? Number(this.env.EMBEDDING_RETRY_MS) : RETRY_BASE_MS;
    const maxVectors = Number(this.env.EMBEDDING_MAX_VECTORS) > 0 ? Number(this.env.EMBEDDING_MAX_VECTORS) : undefined;
    // A failure here (libSQL away) throws, and the platform retries the alarm with its own backoff.
    const { next, notBefore } = await embedPass(createDb(this.env), workspaceId, { ai: this.env.AI, policy: outboundPolicy(this.env), retryBaseMs, maxVectors });
    if (notBefore === null) await this.ctx.storage.delete("notBefore");
    else await this.ctx.storage.put("notBefore", notBefore);
    if (next === null) return;
    // A kick during the pass may have set an earlier alarm (new work): it stays.
    const at = await this.ctx.storage.getAlarm();
    const wanted = Math.max(next, Date.now());
    if (at === null || wanted < at) await this.ctx.storage.setAlarm(wanted);
  }
}
