import { DurableObject } from "cloudflare:workers";
import { createDb } from "../db/client";
import type { Env } from "../env";
import { outboundPolicy } from "../http/outbound-url";
import { embedPass } from "./embed-pass";

/** The first retry's wait, doubled for each one after (EMBEDDING_RETRY_MS shortens it in the tests). */
export const RETRY_BASE_MS = 5_000;

/**
 * A workspace's embedder (issue 19): one Durable Object per workspace whose
 * alarm works through the workspace's pending phrasing vectors (see
 * embed-pass.ts). It keeps only its workspace's id and its alarm: the work
 * itself is in libSQL, so a restart, an eviction or a lost alarm loses
 * nothing — the next kick starts where the rows say.
 */
export class Embedder extends DurableObject<Env> {
  /** Work soon: after a knowledge change, a settings change, or when someone sees work waiting. */
  async kick(workspaceId: string): Promise<void> {
    if ((await this.ctx.storage.get<string>("workspace")) !== workspaceId) await this.ctx.storage.put("workspace", workspaceId);
    const at = await this.ctx.storage.getAlarm();
    if (at === null || at > Date.now()) await this.ctx.storage.setAlarm(Date.now());
  }

  async alarm(): Promise<void> {
    const workspaceId = await this.ctx.storage.get<string>("workspace");
    if (!workspaceId) return;
    const retryBaseMs = Number(this.env.EMBEDDING_RETRY_MS) > 0 ? Number(this.env.EMBEDDING_RETRY_MS) : RETRY_BASE_MS;
    // A failure here (libSQL away) throws, and the platform retries the alarm with its own backoff.
    const next = await embedPass(createDb(this.env), workspaceId, { ai: this.env.AI, policy: outboundPolicy(this.env), retryBaseMs });
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
  }
}
