import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "./schema";

export type DbConfig = { LIBSQL_URL: string; LIBSQL_AUTH_TOKEN?: string };

/** A drizzle database over libSQL's HTTP protocol; cheap to make, one per request or room. */
export function createDb(config: DbConfig) {
  if (!config.LIBSQL_URL) throw new Error("LIBSQL_URL is not set");
  const client = createClient({ url: config.LIBSQL_URL, authToken: config.LIBSQL_AUTH_TOKEN });
  return drizzle(client, { schema });
}

export type Db = ReturnType<typeof createDb>;
