import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import { migrate } from "drizzle-orm/libsql/migrator";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const MIGRATIONS_FOLDER = join(import.meta.dirname, "..", "migrations");

/** Applies the numbered migrations in migrations/ that the database has not seen yet. */
export async function migrateDatabase(url: string, authToken?: string): Promise<void> {
  const client = createClient({ url, authToken });
  try {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    client.close();
  }
}

// `npm run migrate`: against LIBSQL_URL (Turso in production, with LIBSQL_AUTH_TOKEN).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const url = process.env.LIBSQL_URL;
  if (!url) {
    console.error("Set LIBSQL_URL (and LIBSQL_AUTH_TOKEN for Turso) to the database to migrate.");
    process.exit(1);
  }
  await migrateDatabase(url, process.env.LIBSQL_AUTH_TOKEN);
  console.log(`migrations applied to ${url}`);
}
