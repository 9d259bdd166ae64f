import { newId, type FileIntent, type ImportResult, type KnowledgeFile } from "@tandem/protocol";
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { groups, intentPhrasings, intents, workspaces } from "../db/schema";
import { recalibrateAll } from "./calibration";
import * as canonical from "./canonical";
import { KnowledgeError } from "./errors";
import { intentViews } from "./load";
import { bumpVersion, chunks, keptSources, phrasingRows, removeIntents, unknownTarget } from "./write";

/**
 * Loads an exchange file into a workspace in one batch: all of it or nothing.
 * An intent whose key is already there is updated in place (its id, and so
 * its analytics, stay); `replace` also removes the intents the file lacks.
 */
export async function importKnowledge(db: Db, workspaceId: string, file: KnowledgeFile, mode: "replace" | "merge"): Promise<ImportResult> {
  const [groupRows, existing] = await db.batch([
    db.select({ id: groups.id, name: groups.name }).from(groups).where(eq(groups.workspaceId, workspaceId)).orderBy(asc(groups.id)),
    db.select({ id: intents.id, key: intents.key }).from(intents).where(eq(intents.workspaceId, workspaceId)),
  ]);
  const groupIds = new Map<string, string>();
  for (const group of groupRows) if (!groupIds.has(group.name)) groupIds.set(group.name, group.id);
  const ids = new Map(existing.map((i) => [i.key, i.id]));
  const inFile = new Set(file.intents.map((i) => i.key));
  const targets = mode === "merge" ? new Set([...inFile, ...ids.keys()]) : inFile;
  for (const intent of file.intents) {
    if (intent.group && !groupIds.has(intent.group)) {
      throw new KnowledgeError(400, "unknown_group", `intent "${intent.key}": there is no group named "${intent.group}" in this workspace`);
    }
    for (const button of intent.buttons) if (button.intent !== undefined && !targets.has(button.intent)) throw unknownTarget(intent.key, button.intent);
  }

  const now = Date.now();
  const rows = file.intents.map((intent) => ({ id: ids.get(intent.key) ?? newId(now), intent }));
  const updatedIds = rows.filter((r) => ids.has(r.intent.key)).map((r) => r.id);
  const gone = mode === "replace" ? existing.filter((i) => !inFile.has(i.key)).map((i) => i.id) : [];
  const kept = await keptSources(db, updatedIds);
  const phrasings = rows.flatMap((r) => phrasingRows(r.id, r.intent.phrasings, now, kept, "import"));
  const excluded = (column: string) => sql.raw(`excluded.${column}`);

  const [, ...rest] = await db.batch([
    db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId)),
    ...chunks(gone, 500).flatMap((part) => removeIntents(db, part)),
    ...chunks(updatedIds, 500).map((part) => db.delete(intentPhrasings).where(sql`${intentPhrasings.intentId} in ${part}`)),
    ...chunks(rows, 200).map((part) =>
      db
        .insert(intents)
        .values(part.map(({ id, intent }) => ({ id, workspaceId, createdAt: now, ...intentRow(intent, intent.group ? groupIds.get(intent.group)! : null, now) })))
        .onConflictDoUpdate({
          target: [intents.workspaceId, intents.key],
          set: {
            name: excluded("name"),
            enabled: excluded("enabled"),
            groupId: excluded("group_id"),
            answer: excluded("answer"),
            answers: excluded("answers"),
            buttons: excluded("buttons"),
            collect: excluded("collect"),
            updatedAt: excluded("updated_at"),
          },
        }),
    ),
    ...chunks(phrasings, 1000).map((part) => db.insert(intentPhrasings).values(part)),
    bumpVersion(db, workspaceId),
  ]);
  // Calibrated on what the import left (issue 19); the version moves once more with the figures.
  const version = (await recalibrateAll(db, workspaceId)) ?? (rest.at(-1) as { version: number }[])[0].version;
  return { created: rows.length - updatedIds.length, updated: updatedIds.length, deleted: gone.length, version };
}

function intentRow(intent: FileIntent, groupId: string | null, now: number) {
  return {
    key: intent.key,
    name: intent.name,
    enabled: intent.enabled,
    groupId,
    answer: canonical.fallbackAnswer(intent.answer),
    answers: canonical.langTexts(intent.answer),
    buttons: canonical.buttons(intent.buttons),
    collect: canonical.collect(intent.collect),
    updatedAt: now,
  };
}

/** The workspace's knowledge base as an exchange file, pretty-printed: what `importKnowledge` takes. */
export async function exportKnowledge(db: Db, workspaceId: string): Promise<string> {
  const [views, groupRows] = await Promise.all([
    intentViews(db, workspaceId),
    db.select({ id: groups.id, name: groups.name }).from(groups).where(eq(groups.workspaceId, workspaceId)),
  ]);
  const names = new Map(groupRows.map((g) => [g.id, g.name]));
  const file = {
    version: 1,
    intents: views.map((v) => ({
      key: v.key,
      name: v.name,
      enabled: v.enabled,
      group: (v.groupId && names.get(v.groupId)) ?? null,
      phrasings: v.phrasings,
      answer: canonical.langTexts(v.answer),
      // Left out when empty, as people write them.
      ...(v.buttons.length ? { buttons: canonical.buttons(v.buttons) } : {}),
      ...(v.collect.length ? { collect: canonical.collect(v.collect) } : {}),
    })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
