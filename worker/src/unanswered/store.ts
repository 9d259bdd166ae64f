import { KNOWLEDGE_LIMITS, type KnowledgeLang, type UnansweredGroup, type UnansweredQuestion } from "@tandem/protocol";
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { compiledKnowledge } from "../bot/bot-context";
import { detectLang } from "../bot/matcher";
import type { Db } from "../db/client";
import { unanswered } from "../db/schema";
import { addPhrasing, KnowledgeError, knowledgeVersion } from "../knowledge";
import { groupByText } from "./group";

/**
 * The newest open questions looked at: grouping compares each with every
 * group's lead, ~200 ms here for 200 questions on as many topics (the
 * evaluation set's), far less when they repeat each other.
 */
export const LIST_LIMIT = 200;

const question = {
  id: unanswered.id,
  text: unanswered.text,
  lang: unanswered.lang,
  reason: unanswered.reason,
  at: unanswered.createdAt,
  conversationId: unanswered.conversationId,
};

const asLang = (lang: string | null): UnansweredQuestion["lang"] => (lang === "ru" || lang === "uk" || lang === "en" ? lang : null);

async function openQuestions(db: Db, workspaceId: string): Promise<UnansweredQuestion[]> {
  const rows = await db
    .select(question)
    .from(unanswered)
    .where(and(eq(unanswered.workspaceId, workspaceId), isNull(unanswered.handledAt)))
    .orderBy(desc(unanswered.createdAt), desc(unanswered.id))
    .limit(LIST_LIMIT);
  return rows.map((row) => ({ ...row, lang: asLang(row.lang) }));
}

/** The open questions grouped by similarity, newest group first, each with the matcher's best guess for its lead. */
export async function listGroups(db: Db, workspaceId: string): Promise<UnansweredGroup[]> {
  const [questions, version] = await Promise.all([openQuestions(db, workspaceId), knowledgeVersion(db, workspaceId)]);
  if (!questions.length) return [];
  // The bot's own compiled matcher, shared with the rooms and rebuilt only when the knowledge base changes.
  const { matcher, intents } = await compiledKnowledge(db, workspaceId, version);
  return groupByText(questions).map((group) => {
    const [best] = matcher.match(group[0].text, { lang: group[0].lang ?? undefined, limit: 1 });
    const intent = best && intents.get(best.intentId);
    return {
      id: group[0].id,
      size: group.length,
      questions: group,
      suggestion: intent ? { intentId: intent.id, name: intent.name, confidence: Math.round(best.confidence * 100) / 100 } : null,
    };
  });
}

/** The question, still open, of this workspace; 404 for another workspace's, 409 once handled. */
async function openQuestion(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select({ ...question, handledAt: unanswered.handledAt })
    .from(unanswered)
    .where(and(eq(unanswered.id, id), eq(unanswered.workspaceId, workspaceId)));
  if (!row) throw new KnowledgeError(404, "not_found", "no such unanswered question");
  if (row.handledAt !== null) throw new KnowledgeError(409, "already_handled", "this question was already added or dismissed");
  return row;
}

/** The ids of the open group the question is in now (itself alone when `all` is off). */
async function groupIds(db: Db, workspaceId: string, id: string, all: boolean) {
  if (!all) return [id];
  const group = groupByText(await openQuestions(db, workspaceId)).find((g) => g.some((q) => q.id === id));
  return group ? group.map((q) => q.id) : [id];
}

const markHandled = (db: Db, workspaceId: string, ids: string[], intentId: string | null) =>
  db
    .update(unanswered)
    .set({ intentId, handledAt: Date.now() })
    .where(and(eq(unanswered.workspaceId, workspaceId), inArray(unanswered.id, ids), isNull(unanswered.handledAt)));

/**
 * Adds the question's text to the intent as a phrasing in its language
 * (source "unanswered"): the knowledge version moves, so the bot's next
 * turn in any room matches it. Answers the ids taken off the list.
 */
export async function addToIntent(db: Db, workspaceId: string, id: string, intentId: string, all: boolean): Promise<string[]> {
  const found = await openQuestion(db, workspaceId, id);
  const ids = await groupIds(db, workspaceId, id, all);
  const lang: KnowledgeLang = asLang(found.lang) ?? detectLang(found.text) ?? "en";
  // A customer may write more than a phrasing holds; its start carries the question.
  const text = found.text.trim().slice(0, KNOWLEDGE_LIMITS.phrasing).trim();
  await addPhrasing(db, workspaceId, intentId, { lang, text, unansweredId: id });
  if (ids.length > 1) await markHandled(db, workspaceId, ids, intentId);
  return ids;
}

/** Takes the question (or its group) off the list without adding it anywhere. */
export async function dismiss(db: Db, workspaceId: string, id: string, all: boolean): Promise<string[]> {
  await openQuestion(db, workspaceId, id);
  const ids = await groupIds(db, workspaceId, id, all);
  await markHandled(db, workspaceId, ids, null);
  return ids;
}
