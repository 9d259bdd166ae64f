import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { workspaces } from "../db/schema";

/** Every change to the knowledge base ends its batch with this, so cached matchers know to rebuild. */
export const bumpVersion = (db: Db, workspaceId: string) =>
  db
    .update(workspaces)
    .set({ knowledgeVersion: sql`${workspaces.knowledgeVersion} + 1` })
    .where(eq(workspaces.id, workspaceId))
    .returning({ version: workspaces.knowledgeVersion });
