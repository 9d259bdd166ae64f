import { readLook, type PrompterSuggestions } from "@tandem/protocol";
import { and, desc, eq } from "drizzle-orm";
import { compiledKnowledge } from "../bot/bot-context";
import { detectLang, type Lang } from "../bot/matcher";
import { fill } from "../bot/texts";
import type { Db } from "../db/client";
import { contacts, conversations, messages, sites, workspaces } from "../db/schema";

/**
 * Suggestions may be less sure than the bot's answers (ANSWER_THRESHOLD 0.5):
 * an operator reads them before sending. Measured with the demo knowledge base:
 * at 0.3 the right intent is among the top three for 99.4% of the answerable
 * questions of evaluation.json (97.7% at 0.5) and 88.2% of unseen.json's
 * (79.2% at 0.5), with 1.6–1.8 suggestions shown per question on average.
 */
export const SUGGEST_THRESHOLD = 0.3;
export const SUGGEST_LIMIT = 3;

const isLang = (value: unknown): value is Lang => value === "ru" || value === "uk" || value === "en";

/**
 * Up to three answers from the knowledge base for the conversation's latest
 * customer message, in its language, best first. Null when the conversation
 * is not the workspace's.
 */
export async function suggest(db: Db, workspaceId: string, conversationId: string): Promise<PrompterSuggestions | null> {
  const [[row], [last]] = await db.batch([
    db
      .select({ version: workspaces.knowledgeVersion, look: sites.look, context: conversations.context, name: contacts.name })
      .from(conversations)
      .innerJoin(workspaces, eq(workspaces.id, conversations.workspaceId))
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .leftJoin(sites, eq(sites.id, conversations.siteId))
      .where(and(eq(conversations.id, conversationId), eq(conversations.workspaceId, workspaceId))),
    db
      .select({ seq: messages.seq, text: messages.body })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(eq(messages.conversationId, conversationId), eq(conversations.workspaceId, workspaceId), eq(messages.authorKind, "visitor")))
      .orderBy(desc(messages.seq))
      .limit(1),
  ]);
  if (!row) return null;
  if (!last) return { question: null, suggestions: [] };

  const knowledge = await compiledKnowledge(db, workspaceId, row.version);
  // The room's order (party/src/conversation.ts): the message's own language, then the site's, then the browser's.
  const browser = String((row.context as { language?: unknown } | null)?.language ?? "").slice(0, 2);
  const lang: Lang = detectLang(last.text) ?? readLook(row.look).language ?? (isLang(browser) ? browser : "en");
  const suggestions = knowledge.matcher
    .match(last.text, { lang, limit: SUGGEST_LIMIT })
    .filter((m) => m.confidence >= SUGGEST_THRESHOLD)
    .flatMap((m) => {
      const intent = knowledge.intents.get(m.intentId);
      if (!intent) return [];
      const answer = intent.answers[lang] || intent.answers.en || intent.answers.ru || intent.answers.uk || intent.answer;
      return [{ intentId: intent.id, name: intent.name, text: fill(answer, { name: row.name }), confidence: m.confidence }];
    });
  return { question: last, suggestions };
}
