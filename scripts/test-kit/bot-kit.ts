// A workspace with the demo knowledge base and the bot switched on: for the bot's room and browser tests (issue 5).
import { KnowledgeFile, newId } from "@tandem/protocol";
import * as v from "valibot";
import { eq, sql } from "drizzle-orm";
import demo from "../../worker/src/bot/demo/knowledge-base.json";
import { sites } from "../../worker/src/db/schema";
import { importKnowledge } from "../../worker/src/knowledge";
import { createTenant, database } from "./clients";

/** The site's bot settings as the settings page stores them (protocol's SiteBot). */
export type BotSettings = Record<string, unknown>;

/** A tenant whose knowledge base is the demo one, with the groups it names; both operators are in both groups. */
export async function botTenant(label = "Bot", bot: BotSettings = {}) {
  const tenant = await createTenant(label);
  const db = database();
  for (const name of ["Sales", "Support"]) {
    const id = newId();
    await db.run(sql`INSERT INTO groups (id, workspace_id, name, routing_mode, line, return_on_offline, created_at)
      VALUES (${id}, ${tenant.workspaceId}, ${name}, 'manual', 1, 1, ${Date.now()})`);
    for (const operatorId of [tenant.owner.id, tenant.agent.id]) await db.run(sql`INSERT INTO group_members (group_id, operator_id) VALUES (${id}, ${operatorId})`);
  }
  await importKnowledge(db, tenant.workspaceId, v.parse(KnowledgeFile, demo), "replace");
  if (Object.keys(bot).length) await setBot(tenant.siteId, bot);
  return tenant;
}

export async function setBot(siteId: string, bot: BotSettings) {
  await database().update(sites).set({ bot }).where(eq(sites.id, siteId));
}
