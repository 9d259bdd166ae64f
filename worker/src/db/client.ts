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

const timedFetch = (request: Request) => fetch(request, { signal: AbortSignal.timeout(LIBSQL_TIMEOUT_MS) });

/** A drizzle database over libSQL's HTTP protocol; cheap to make, one per request or room. */
export function createDb(config: DbConfig) {
  if (!config.LIBSQL_URL) throw new Error("LIBSQL_URL is not set");
  const client = createClient({ url: config.LIBSQL_URL, authToken: config.LIBSQL_AUTH_TOKEN, fetch: timedFetch });
  return drizzle(client, { schema });
}

export type Db = ReturnType<typeof createDb>;
