import { readLook, readPrechatForm, readWorkingHours } from "@tandem/protocol";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { sites } from "../db/schema";
import { readAllowedOrigins } from "./allowed-origins";
import { openingState } from "./opening-hours";

/**
 * The settings columns as stored text: drizzle's JSON columns would throw on
 * a value that is not JSON, and a broken setting must fall back to its
 * default, not fail the widget.
 */
export const siteSettingsColumns = {
  look: sql<string | null>`${sites.look}`,
  workingHours: sql<string | null>`${sites.workingHours}`,
  prechatForm: sql<string | null>`${sites.prechatForm}`,
  allowedOrigins: sql<string | null>`${sites.allowedOrigins}`,
};

/** JSON text read leniently: anything unreadable is undefined. */
export function parseStored(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The site behind a widget's public key, with its settings read; null for an unknown key. */
export async function findSiteByKey(db: Db, publicKey: string) {
  const [row] = await db
    .select({
      id: sites.id,
      name: sites.name,
      workspaceId: sites.workspaceId,
      identityRequired: sites.identityRequired,
      ...siteSettingsColumns,
    })
    .from(sites)
    .where(eq(sites.publicKey, publicKey))
    .limit(1);
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    workspaceId: row.workspaceId,
    identityRequired: row.identityRequired,
    allowedOrigins: readAllowedOrigins(parseStored(row.allowedOrigins)),
    look: readLook(parseStored(row.look)),
    workingHours: readWorkingHours(parseStored(row.workingHours)),
    prechat: readPrechatForm(parseStored(row.prechatForm)),
  };
}

export type Site = NonNullable<Awaited<ReturnType<typeof findSiteByKey>>>;

/** What the widget is told about its site. */
export function publicSite(site: Site, now = Date.now()) {
  return {
    name: site.name,
    look: site.look,
    hours: openingState(site.workingHours, now),
    prechat: site.prechat,
    identityRequired: site.identityRequired,
  };
}
