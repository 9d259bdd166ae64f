import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { readRates, type Limit } from "./rates";
import { createBuckets } from "./token-bucket";

/**
 * The rate limits of one subject (an address, a visitor), for the HTTP API:
 * one Durable Object per subject, so a count is exact wherever the requests
 * land, and Retry-After is true. It holds nothing worth keeping: evicted, a
 * subject starts with full buckets.
 */
export class Limiter extends DurableObject<Env> {
  readonly #rates = readRates(this.env.RATE_LIMITS);
  readonly #buckets = new Map<Limit, ReturnType<typeof createBuckets>>();

  /** 0 when the subject may go on (and it is counted), else the milliseconds to wait. */
  take(limit: Limit): number {
    let buckets = this.#buckets.get(limit);
    if (!buckets) this.#buckets.set(limit, (buckets = createBuckets(this.#rates[limit])));
    return buckets.take("");
  }
}
