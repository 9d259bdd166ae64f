import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "./schema";

export type DbConfig = { LIBSQL_URL: string; LIBSQL_AUTH_TOKEN?: string };

/**
 * How long one request to libSQL may take before it fails. A room awaits its
 * writes in order: a request that never comes back would hold up the room's
 * whole queue; failed, the room tells its clients to reconnect and resend
 * (what did commit is acked again by its clientMsgId).
 */
export const LIBSQL_TIMEOUT_MS = 10_000;

/**
 * fetch for libSQL: each request within LIBSQL_TIMEOUT_MS, and a 429 (the
 * server turned it away before running it: too many requests at once; sqld
 * does this past --max-concurrent-requests, Turso past a plan's limits)
 * tried again a few times after a short, growing, random wait.
 */
async function libsqlFetch(request: Request): Promise<Response> {
  const deadline = Date.now() + LIBSQL_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(request.clone() as Request, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
    const wait = Math.random() * 50 * 2 ** attempt;
    if (response.status !== 429 || attempt === 6 || Date.now() + wait > deadline) return response;
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** A drizzle database over libSQL's HTTP protocol; cheap to make, one per request or room. */
export function createDb(config: DbConfig) {
  if (!config.LIBSQL_URL) throw new Error("LIBSQL_URL is not set");
  const client = createClient({ url: config.LIBSQL_URL, authToken: config.LIBSQL_AUTH_TOKEN, fetch: libsqlFetch });
  return drizzle(client, { schema });
}

export type Db = ReturnType<typeof createDb>;
