import { KNOWLEDGE_LANGS, KNOWLEDGE_LIMITS, newId, type IntentBody, type IntentView, type KnowledgeLang, type Phrasings } from "@tandem/protocol";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { conversations, groups, intentPhrasings, intents, suggestionFeedback, unanswered } from "../db/schema";
import * as canonical from "./canonical";
import { calibrationStatement, textsOf } from "./calibration";
import { KnowledgeError } from "./errors";
import { intentViews, loadKnowledge, type KnowledgeIntent } from "./load";
import { bumpVersion } from "./version";

export type PhrasingSource = "kb" | "unanswered" | "import";

export { bumpVersion };

/**
 * Phrasing rows for an intent in the given order. A phrasing that was already
 * there keeps where it came from (an unanswered question stays one).
 */
export function phrasingRows(intentId: string, phrasings: Phrasings, now: number, kept: Map<string, PhrasingSource>, source: PhrasingSource) {
  return KNOWLEDGE_LANGS.flatMap((lang) =>
    (phrasings[lang] ?? []).map((text) => ({
      id: newId(now),
      intentId,
      lang,
      text,
      source: kept.get(`${intentId}\n${lang}\n${text}`) ?? source,
      createdAt: now,
    })),
  );
}

export async function keptSources(db: Db, ids: string[]) {
  const kept = new Map<string, PhrasingSource>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .select({ intentId: intentPhrasings.intentId, lang: intentPhrasings.lang, text: intentPhrasings.text, source: intentPhrasings.source })
      .from(intentPhrasings)
      .where(inArray(intentPhrasings.intentId, ids.slice(i, i + 500)));
    for (const row of rows) kept.set(`${row.intentId}\n${row.lang}\n${row.text}`, row.source);
  }
  return kept;
}

/** Statements that remove intents and every pointer at them (the conversations and feedback stay). */
export function removeIntents(db: Db, ids: string[]) {
  return [
    db.update(conversations).set({ intentId: null }).where(inArray(conversations.intentId, ids)),
    db.update(suggestionFeedback).set({ intentId: null }).where(inArray(suggestionFeedback.intentId, ids)),
    db.update(unanswered).set({ intentId: null }).where(inArray(unanswered.intentId, ids)),
    db.delete(intentPhrasings).where(inArray(intentPhrasings.intentId, ids)),
    db.delete(intents).where(inArray(intents.id, ids)),
  ] as const;
}

/** Creates an intent (no `id`) or replaces one of the workspace's; answers it as the API shows it. */
export async function saveIntent(db: Db, workspaceId: string, body: IntentBody, id?: string): Promise<IntentView> {
  const all = await db.select({ id: intents.id, key: intents.key, name: intents.name, buttons: intents.buttons }).from(intents).where(eq(intents.workspaceId, workspaceId));
  const existing = id === undefined ? undefined : all.find((i) => i.id === id);
  if (id !== undefined && !existing) throw new KnowledgeError(404, "not_found", "no such intent");
  const others = all.filter((i) => i.id !== id);
  const taken = others.find((i) => i.key === body.key);
  if (taken) throw new KnowledgeError(409, "duplicate_key", `key "${body.key}" is already used by the intent "${taken.name}"`);
  const keys = new Set([...others.map((i) => i.key), body.key]);
  for (const button of body.buttons) {
    if (button.intent !== undefined && !keys.has(button.intent)) throw unknownTarget(body.key, button.intent);
  }
  if (existing && existing.key !== body.key) {
    const pointing = others.find((i) => i.buttons.some((b) => b.intent === existing.key));
    if (pointing) throw new KnowledgeError(409, "key_in_use", `the intent "${pointing.name}" has a button to "${existing.key}"; change it first`);
  }
  if (body.groupId) await requireGroup(db, workspaceId, body.groupId);

  const now = Date.now();
  const intentId = id ?? newId(now);
  const row = {
    key: body.key,
    name: body.name,
    enabled: body.enabled,
    groupId: body.groupId,
    answer: canonical.fallbackAnswer(body.answer),
    answers: canonical.langTexts(body.answer),
    buttons: canonical.buttons(body.buttons),
    collect: canonical.collect(body.collect),
    updatedAt: now,
  };
  const kept = id ? await keptSources(db, [id]) : new Map<string, PhrasingSource>();
  const phrasings = phrasingRows(intentId, body.phrasings, now, kept, "kb");
  const { intents: base } = await loadKnowledge(db, workspaceId);
  const saved: KnowledgeIntent = {
    ...row,
    id: intentId,
    answer: row.answers,
    fallback: row.answer,
    phrasings: phrasings.map((p) => ({ id: p.id, lang: p.lang, text: p.text, heldOut: null })),
  };
  const after = [...base.filter((i) => i.id !== intentId), saved];
  const before = base.find((i) => i.id === intentId);
  await db.batch([
    existing
      ? db.update(intents).set(row).where(and(eq(intents.id, intentId), eq(intents.workspaceId, workspaceId)))
      : db.insert(intents).values({ id: intentId, workspaceId, createdAt: now, ...row }),
    db.delete(intentPhrasings).where(eq(intentPhrasings.intentId, intentId)),
    ...chunks(phrasings, 1000).map((part) => db.insert(intentPhrasings).values(part)),
    ...calibrationStatement(db, workspaceId, after, { texts: [...textsOf(before), ...textsOf(saved)] }),
    bumpVersion(db, workspaceId),
  ]);
  const [view] = await intentViews(db, workspaceId, [intentId]);
  return view;
}

export async function deleteIntent(db: Db, workspaceId: string, id: string) {
  const all = await db.select({ id: intents.id, key: intents.key, name: intents.name, buttons: intents.buttons }).from(intents).where(eq(intents.workspaceId, workspaceId));
  const intent = all.find((i) => i.id === id);
  if (!intent) throw new KnowledgeError(404, "not_found", "no such intent");
  const pointing = all.find((i) => i.id !== id && i.buttons.some((b) => b.intent === intent.key));
  if (pointing) throw new KnowledgeError(409, "key_in_use", `the intent "${pointing.name}" has a button to "${intent.key}"; change it first`);
  const { intents: base } = await loadKnowledge(db, workspaceId);
  const after = base.filter((i) => i.id !== id);
  await db.batch([...removeIntents(db, [id]), ...calibrationStatement(db, workspaceId, after, { texts: textsOf(base.find((i) => i.id === id)) }), bumpVersion(db, workspaceId)]);
}

export async function setIntentEnabled(db: Db, workspaceId: string, id: string, enabled: boolean): Promise<IntentView> {
  const { intents: base } = await loadKnowledge(db, workspaceId);
  const after = base.map((i) => (i.id === id ? { ...i, enabled } : i));
  const [, updated] = await db.batch([
    bumpVersion(db, workspaceId),
    db
      .update(intents)
      .set({ enabled, updatedAt: Date.now() })
      .where(and(eq(intents.id, id), eq(intents.workspaceId, workspaceId)))
      .returning({ id: intents.id }),
    ...calibrationStatement(db, workspaceId, after, { texts: textsOf(base.find((i) => i.id === id)) }),
  ]);
  // A bump for nothing is harmless: the room rebuilds once.
  if (!updated.length) throw new KnowledgeError(404, "not_found", "no such intent");
  const [view] = await intentViews(db, workspaceId, [id]);
  return view;
}

/**
 * Adds one phrasing to an intent; the matcher uses it from the next message
 * on. Given the unanswered question it came from (B5), marks that handled.
 */
export async function addPhrasing(
  db: Db,
  workspaceId: string,
  id: string,
  input: { lang: KnowledgeLang; text: string; unansweredId?: string },
): Promise<IntentView> {
  const [intent] = await db.select({ id: intents.id }).from(intents).where(and(eq(intents.id, id), eq(intents.workspaceId, workspaceId)));
  if (!intent) throw new KnowledgeError(404, "not_found", "no such intent");
  const present = await db
    .select({ text: intentPhrasings.text })
    .from(intentPhrasings)
    .where(and(eq(intentPhrasings.intentId, id), eq(intentPhrasings.lang, input.lang)));
  if (input.unansweredId) {
    const [question] = await db
      .select({ id: unanswered.id })
      .from(unanswered)
      .where(and(eq(unanswered.id, input.unansweredId), eq(unanswered.workspaceId, workspaceId)));
    if (!question) throw new KnowledgeError(404, "not_found", "no such unanswered question");
  }
  const duplicate = present.some((p) => p.text === input.text);
  if (!duplicate && present.length >= KNOWLEDGE_LIMITS.phrasingsPerLang) {
    throw new KnowledgeError(400, "too_many", `at most ${KNOWLEDGE_LIMITS.phrasingsPerLang} phrasings per language`);
  }
  const now = Date.now();
  const phrasing = { id: newId(now), intentId: id, lang: input.lang, text: input.text, source: input.unansweredId ? "unanswered" : "kb", createdAt: now } as const;
  const { intents: base } = duplicate ? { intents: [] } : await loadKnowledge(db, workspaceId);
  const after = base.map((i) => (i.id === id ? { ...i, phrasings: [...i.phrasings, { id: phrasing.id, lang: input.lang, text: input.text, heldOut: null }] } : i));
  await db.batch([
    bumpVersion(db, workspaceId),
    db.update(intents).set({ updatedAt: now }).where(eq(intents.id, id)),
    ...(duplicate ? [] : [db.insert(intentPhrasings).values(phrasing), ...calibrationStatement(db, workspaceId, after, { texts: [input.text] })]),
    ...(input.unansweredId
      ? [db.update(unanswered).set({ intentId: id, handledAt: now }).where(and(eq(unanswered.id, input.unansweredId), eq(unanswered.workspaceId, workspaceId)))]
      : []),
  ]);
  const [view] = await intentViews(db, workspaceId, [id]);
  return view;
}

async function requireGroup(db: Db, workspaceId: string, groupId: string) {
  const [group] = await db.select({ id: groups.id }).from(groups).where(and(eq(groups.id, groupId), eq(groups.workspaceId, workspaceId)));
  if (!group) throw new KnowledgeError(400, "unknown_group", "no such group in this workspace");
}

export const unknownTarget = (from: string, to: string) =>
  new KnowledgeError(400, "unknown_intent", `intent "${from}": a button leads to "${to}", which is not in the knowledge base`);

export function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
