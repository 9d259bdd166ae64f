import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KnowledgeFile, newId } from "@tandem/protocol";
import { and, eq } from "drizzle-orm";
import * as v from "valibot";
import { createDb } from "../worker/src/db/client";
import type { Db } from "../worker/src/db/client";
import { groups, intents, operators, sites } from "../worker/src/db/schema";
import { importKnowledge } from "../worker/src/knowledge";
import { createWorkspace } from "../worker/src/workspaces/create-workspace";

export const DEMO = {
  email: "demo@tandem.dev",
  password: "tandem-demo",
  siteKey: "demo_site_key_0001",
  /**
   * The demo site's identify secret, fixed so a local host page can sign ids:
   * hash = hex(HMAC-SHA256("demo-identity-secret", id)). Local only, like the
   * password; a real site's secret is random and never leaves the server.
   */
  identitySecret: "demo-identity-secret",
} as const;

/**
 * The local demo workspace: owner demo@tandem.dev / tandem-demo and the demo
 * site key the demo page carries. Refuses any database that is not on this
 * machine, so the demo password never reaches a deployed one.
 */
export async function seedDemo(url: string): Promise<"created" | "present"> {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost") throw new Error(`refusing to seed the demo into ${url}`);
  const db = createDb({ LIBSQL_URL: url });
  const [existing] = await db.select({ id: operators.id }).from(operators).where(eq(operators.email, DEMO.email));
  if (existing) {
    // A demo seeded before the fixed secret existed gets it too.
    await db.update(sites).set({ identitySecret: DEMO.identitySecret }).where(eq(sites.publicKey, DEMO.siteKey));
    const [site] = await db.select({ workspaceId: sites.workspaceId }).from(sites).where(eq(sites.publicKey, DEMO.siteKey));
    if (site) await seedKnowledge(db, site.workspaceId);
    return "present";
  }
  const { workspaceId } = await createWorkspace(db, {
    name: "Northwind Coffee",
    owner: { email: DEMO.email, name: "Dana Demo", password: DEMO.password },
    // No allowed origins: the demo page may be opened from any local address.
    site: { name: "Northwind Coffee", publicKey: DEMO.siteKey, identitySecret: DEMO.identitySecret, allowedOrigins: [] },
  });
  await seedKnowledge(db, workspaceId);
  return "created";
}

/**
 * The demo shop's knowledge base (B1), through the same import the dashboard
 * uses, with the groups it routes to. Only into an empty base: an edited demo
 * keeps its edits.
 */
async function seedKnowledge(db: Db, workspaceId: string) {
  const [any] = await db.select({ id: intents.id }).from(intents).where(eq(intents.workspaceId, workspaceId)).limit(1);
  if (any) return;
  const file = v.parse(KnowledgeFile, JSON.parse(readFileSync(join(import.meta.dirname, "../worker/src/bot/demo/knowledge-base.json"), "utf8")));
  const names = new Set(file.intents.flatMap((i) => (i.group ? [i.group] : [])));
  for (const name of names) {
    const [present] = await db.select({ id: groups.id }).from(groups).where(and(eq(groups.workspaceId, workspaceId), eq(groups.name, name)));
    if (!present) await db.insert(groups).values({ id: newId(), workspaceId, name, createdAt: Date.now() });
  }
  await importKnowledge(db, workspaceId, file, "merge");
}
