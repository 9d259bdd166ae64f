import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import { migrate } from "drizzle-orm/libsql/migrator";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import { createDb, type Db } from "../worker/src/db/client";
import { recalibrateAll } from "../worker/src/knowledge/calibration";

export const MIGRATIONS_FOLDER = join(import.meta.dirname, "..", "migrations");

/**
 * Applies the numbered migrations in migrations/ that the database has not
 * seen yet, then calibrates the knowledge bases that have no calibration
 * figures at all (stored before migration 0010; issue 19), so that no room
 * has to measure them.
 */
export async function migrateDatabase(url: string, authToken?: string): Promise<void> {
  const client = createClient({ url, authToken });
  try {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    const db = createDb({ LIBSQL_URL: url, LIBSQL_AUTH_TOKEN: authToken });
    try {
      await calibrateUncalibrated(db);
    } finally {
      db.$client.close();
    }
  } finally {
    client.close();
  }
}

/** Calibrates every knowledge base (or those of `only`) that has enabled phrasings and no figures at all. */
export async function calibrateUncalibrated(db: Db, only?: string[]) {
  const uncalibrated = await db.all<{ id: string }>(sql`
    SELECT DISTINCT i.workspace_id AS id FROM intents i JOIN intent_phrasings p ON p.intent_id = i.id
    WHERE i.enabled = 1 ${only ? sql`AND i.workspace_id IN ${only}` : sql``} AND NOT EXISTS (
      SELECT 1 FROM intents j JOIN intent_phrasings q ON q.intent_id = j.id WHERE j.workspace_id = i.workspace_id AND q.loo_own IS NOT NULL)`);
  for (const { id } of uncalibrated) await recalibrateAll(db, id);
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
