import { PrechatForm, readLook, readWorkingHours, type SiteSettings } from "@tandem/protocol";
import { and, eq } from "drizzle-orm";
import * as v from "valibot";
import type { Db } from "../db/client";
import { sites } from "../db/schema";
import { readAllowedOrigins } from "../sites/allowed-origins";
import { parseStored, siteSettingsColumns } from "../sites/load-site";

/** The script tag a site pastes into its pages; `origin` is where this Worker answers. */
export function embedSnippet(origin: string, publicKey: string): string {
  return `<script async src="${origin}/widget/loader.js" data-site="${publicKey}"></script>`;
}

/**
 * The workspace's sites with their settings, read as leniently as the widget
 * reads them, so the tab shows what customers really get. `siteId` narrows
 * it to one; another workspace's site is simply not there.
 */
export async function listSiteSettings(db: Db, workspaceId: string, origin: string, siteId?: string): Promise<SiteSettings[]> {
  const rows = await db
    .select({
      id: sites.id,
      name: sites.name,
      publicKey: sites.publicKey,
      reopenMinutes: sites.reopenMinutes,
      identityRequired: sites.identityRequired,
      ...siteSettingsColumns,
    })
    .from(sites)
    .where(siteId ? and(eq(sites.workspaceId, workspaceId), eq(sites.id, siteId)) : eq(sites.workspaceId, workspaceId))
    .orderBy(sites.name);
  return rows.map((row) => {
    const prechat = v.safeParse(PrechatForm, parseStored(row.prechatForm));
    return {
      id: row.id,
      name: row.name,
      publicKey: row.publicKey,
      allowedOrigins: readAllowedOrigins(parseStored(row.allowedOrigins)),
      look: readLook(parseStored(row.look)),
      workingHours: readWorkingHours(parseStored(row.workingHours)),
      prechatForm: prechat.success ? prechat.output : { fields: [], topics: [] },
      reopenMinutes: row.reopenMinutes,
      identityRequired: row.identityRequired,
      embed: embedSnippet(origin, row.publicKey),
    };
  });
}
