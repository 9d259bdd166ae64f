import { KNOWLEDGE_LANGS, type IntentView, type KnowledgeLang, type LangTexts, type Phrasings } from "@tandem/protocol";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { intentPhrasings, intents, workspaces } from "../db/schema";

type IntentRow = typeof intents.$inferSelect;
type PhrasingRow = { id: string; intentId: string; lang: string | null; text: string; looOwn: number | null; looOther: number | null };

/** One intent shaped for the matcher (`MatchIntent`) with all the bot needs to answer with it. */
export type KnowledgeIntent = {
  id: string;
  key: string;
  name: string;
  enabled: boolean;
  groupId: string | null;
  /** `heldOut`: the phrasing's calibration figures (knowledge/calibration.ts), null until measured. */
  phrasings: { id: string; lang: KnowledgeLang | null; text: string; heldOut: { own: number; other: number } | null }[];
  answer: LangTexts;
  /** For a language the intent has no answer in. */
  fallback: string;
  buttons: IntentView["buttons"];
  collect: IntentView["collect"];
};

/**
 * A workspace's whole knowledge base with its version. A room keeps the
 * matcher it built from it until `knowledgeVersion(db, id)` moves on.
 */
export async function loadKnowledge(db: Db, workspaceId: string): Promise<{ version: number; intents: KnowledgeIntent[] }> {
  const [version, rows, phrasings] = await db.batch([
    db.select({ v: workspaces.knowledgeVersion }).from(workspaces).where(eq(workspaces.id, workspaceId)),
    db.select().from(intents).where(eq(intents.workspaceId, workspaceId)).orderBy(asc(intents.id)),
    phrasingsOf(db, workspaceId),
  ]);
  const byIntent = groupPhrasings(phrasings);
  return {
    version: version[0]?.v ?? 0,
    intents: rows.map((row) => ({
      id: row.id,
      key: row.key,
      name: row.name,
      enabled: row.enabled,
      groupId: row.groupId,
      phrasings: (byIntent.get(row.id) ?? []).map((p) => ({
        id: p.id,
        lang: asLang(p.lang),
        text: p.text,
        heldOut: p.looOwn === null || p.looOther === null ? null : { own: p.looOwn, other: p.looOther },
      })),
      answer: row.answers,
      fallback: row.answer,
      buttons: row.buttons,
      collect: row.collect,
    })),
  };
}

/** The workspace's knowledge version alone: one cheap read before trusting a cached matcher. */
export async function knowledgeVersion(db: Db, workspaceId: string): Promise<number> {
  const [row] = await db.select({ v: workspaces.knowledgeVersion }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return row?.v ?? 0;
}

/** Intents as the API shows them; all of the workspace's, or the given ones. */
export async function intentViews(db: Db, workspaceId: string, ids?: string[]): Promise<IntentView[]> {
  const where = ids ? and(eq(intents.workspaceId, workspaceId), inArray(intents.id, ids)) : eq(intents.workspaceId, workspaceId);
  const [rows, phrasings] = await db.batch([
    db.select().from(intents).where(where).orderBy(asc(intents.id)),
    phrasingsOf(db, workspaceId, ids),
  ]);
  const byIntent = groupPhrasings(phrasings);
  return rows.map((row) => intentView(row, byIntent.get(row.id) ?? []));
}

export function intentView(row: IntentRow, phrasings: PhrasingRow[]): IntentView {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    enabled: row.enabled,
    groupId: row.groupId,
    phrasings: phrasingsByLang(phrasings),
    answer: row.answers,
    buttons: row.buttons,
    collect: row.collect,
    updatedAt: row.updatedAt,
  };
}

export function phrasingsByLang(rows: { lang: string | null; text: string }[]): Phrasings {
  const out: Phrasings = {};
  for (const lang of KNOWLEDGE_LANGS) {
    const list = rows.filter((p) => p.lang === lang).map((p) => p.text);
    if (list.length) out[lang] = list;
  }
  return out;
}

function phrasingsOf(db: Db, workspaceId: string, ids?: string[]) {
  // Phrasings carry no workspace: reach it through their intent.
  const mine = sql`${intentPhrasings.intentId} in (select ${intents.id} from ${intents} where ${intents.workspaceId} = ${workspaceId})`;
  return db
    .select({
      id: intentPhrasings.id,
      intentId: intentPhrasings.intentId,
      lang: intentPhrasings.lang,
      text: intentPhrasings.text,
      looOwn: intentPhrasings.looOwn,
      looOther: intentPhrasings.looOther,
    })
    .from(intentPhrasings)
    .where(ids ? and(mine, inArray(intentPhrasings.intentId, ids)) : mine)
    .orderBy(asc(intentPhrasings.id));
}

function groupPhrasings(rows: PhrasingRow[]) {
  const map = new Map<string, PhrasingRow[]>();
  for (const row of rows) {
    const list = map.get(row.intentId);
    if (list) list.push(row);
    else map.set(row.intentId, [row]);
  }
  return map;
}

const asLang = (lang: string | null): KnowledgeLang | null => (KNOWLEDGE_LANGS.includes(lang as KnowledgeLang) ? (lang as KnowledgeLang) : null);
