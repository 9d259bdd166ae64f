import type { Context, MiddlewareHandler } from "hono";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { clientAddress } from "../http/client-address";
import type { Limit } from "./rates";

/**
 * The limiter of one subject: `address:…` or `visitor:…`. Here rather than
 * beside the class, so the API can be imported where `cloudflare:workers` is not.
 */
function limiterOf(env: Env, subject: string) {
  return env.Limiter.get(env.Limiter.idFromName(subject));
}

/**
 * Refuses a request over `limit` for its subject with 429 and Retry-After
 * (S4). `subject` names who is counted (`address:…`, `visitor:…`), or null
 * for nobody (a request this limit does not apply to).
 */
export function rateLimit<E extends { Bindings: Env }>(limit: Limit, subject: (c: Context<E>) => string | null | Promise<string | null>): MiddlewareHandler<E> {
  return async (c, next) => {
    const who = await subject(c);
    const wait = who ? await limiterOf(c.env, who).take(limit) : 0;
    if (!wait) return next();
    const seconds = Math.ceil(wait / 1000);
    c.header("Retry-After", String(seconds));
    return apiError(c, 429, "rate_limited", `too many requests; try again in ${seconds} s`);
  };
}

/**
 * The client's address as a rate-limit subject. In local development every
 * request is "local" (see clientAddress): one address, limited as one, so
 * the limits can be tried on `npm start`.
 */
export function byAddress<E extends { Bindings: Env }>(c: Context<E>): string {
  return `address:${clientAddress(c.req.raw, c.env)}`;
}
