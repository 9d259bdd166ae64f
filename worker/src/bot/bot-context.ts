import { readLook, readSiteBot, readWorkingHours, type WorkingHours } from "@tandem/protocol";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { conversations, sites, workspaces } from "../db/schema";
import { modelOf } from "../embeddings/provider";
import { readCalibration, readEmbeddingsConfig } from "../embeddings/settings";
import { loadKnowledge } from "../knowledge";
import { calibrationFor, matchIntentOf } from "../knowledge/calibration";
import { openingState } from "../sites/opening-hours";
import { NEW_STATE, type BotIntent, type BotState } from "./engine";
import type { ModelConfig } from "./llm";
import { buildMatcher, FEEDBACK_PER_INTENT, type Feedback, type Lang, type Matcher } from "./matcher";
import type { SemanticSetup } from "./semantic/semantic-matches";
import type { BotTexts } from "./texts";

/** Everything the bot needs to take a turn in one conversation. */
export type BotContext = {
  /** What the bot remembers of this conversation so far. */
  state: BotState;
  /** The site lets the bot talk and the knowledge base has an enabled intent: the automations run (B4). */
  configured: boolean;
  /** Configured, and within the bot's hours: it answers now (B3). */
  active: boolean;
  intents: Map<string, BotIntent>;
  matcher: Matcher;
  texts: Record<Lang, Partial<BotTexts>>;
  operatorsOpen: boolean;
  /** Close after this much customer silence, reminding some minutes before (B4); null = never. */
  idle: { closeMinutes: number; reminderMinutes: number } | null;
  model: ModelConfig | null;
  /** The semantic tier (issue 19), when it is on and its vectors are calibrated; null: the lexical matcher alone. */
  semantic: SemanticSetup | null;
  /** The tier is on but its vectors or calibration are behind the knowledge base: the embedder should be told. */
  embedderBehind: boolean;
  /** The site's language, when it sets one, else the customer's browser's (W13). */
  siteLang: Lang | null;
  pageLang: Lang | null;
};

type Compiled = { version: number; intents: Map<string, BotIntent>; matcher: Matcher };

/**
 * Compiled knowledge per workspace, shared by every room in this isolate and
 * rebuilt only when the workspace's knowledge version moves: building the
 * index takes milliseconds for a small base, about a second for 1,000 intents
 * (some tenths more for a base whose calibration figures are not stored: it
 * is measured as the index is built; `npm run migrate` stores them).
 */
const compiled = new Map<string, Compiled>();

/**
 * The prompter's judgements the bot learns from (B6): each intent's newest,
 * as many as the matcher keeps, so a workspace's history never grows the load.
 */
export async function readRecentFeedback(db: Db, workspaceId: string): Promise<Feedback[]> {
  const rows = await db.all<{ intentId: string | null; question: string | null; accepted: number; at: number }>(sql`
    SELECT intent_id AS intentId, question, accepted, at FROM (
      SELECT intent_id, question, accepted, created_at AS at,
        ROW_NUMBER() OVER (PARTITION BY intent_id ORDER BY created_at DESC, id DESC) AS n
      FROM suggestion_feedback WHERE workspace_id = ${workspaceId})
    WHERE n <= ${FEEDBACK_PER_INTENT}`);
  return rows.flatMap((f) => (f.intentId && f.question ? [{ intentId: f.intentId, question: f.question, accepted: Boolean(f.accepted), at: f.at }] : []));
}

export async function compiledKnowledge(db: Db, workspaceId: string, version: number): Promise<Compiled> {
  const cached = compiled.get(workspaceId);
  if (cached && cached.version === version) return cached;
  const [knowledge, feedback] = await Promise.all([loadKnowledge(db, workspaceId), readRecentFeedback(db, workspaceId)]);
  const map = new Map<string, BotIntent>(
    knowledge.intents.map((i) => [
      i.id,
      { id: i.id, key: i.key, name: i.name, enabled: i.enabled, answers: i.answer, answer: i.fallback, buttons: i.buttons, collect: i.collect, groupId: i.groupId },
    ]),
  );
  // Confidences on this base's own scale (issue 19), from the figures stored when it last changed.
  const matcher = buildMatcher(knowledge.intents.map(matchIntentOf), feedback, calibrationFor(knowledge.intents));
  // Keyed by the version read with the conversation: a change meanwhile is picked up next time.
  const entry = { version, intents: map, matcher };
  compiled.set(workspaceId, entry);
  return entry;
}

const isLang = (value: unknown): value is Lang => value === "ru" || value === "uk" || value === "en";

type StoredBot = {
  enabled?: boolean;
  hours?: unknown;
  idleCloseMinutes?: number | null;
  reminderMinutes?: number | null;
  texts?: Partial<Record<keyof BotTexts, Partial<Record<Lang, string>>>>;
};

/** The site's bot settings as stored, per language for the engine. */
function siteTexts(stored: StoredBot): Record<Lang, Partial<BotTexts>> {
  const texts: Record<Lang, Partial<BotTexts>> = { ru: {}, uk: {}, en: {} };
  for (const [key, byLang] of Object.entries(stored.texts ?? {})) {
    for (const lang of ["ru", "uk", "en"] as const) {
      const text = byLang?.[lang];
      if (typeof text === "string" && text.trim()) texts[lang][key as keyof BotTexts] = text;
    }
  }
  return texts;
}

/** Minutes before the close to remind; none when it would not come before the close. */
const reminderBefore = (close: number, reminder: number) => (reminder > 0 && reminder < close ? reminder : 0);

function isOpen(hours: WorkingHours, now: number) {
  return openingState(hours, now).open;
}

/** Reads the conversation's workspace and site settings and the compiled knowledge. */
export async function loadBotContext(db: Db, conversationId: string, now = Date.now()): Promise<BotContext | null> {
  const [row] = await db
    .select({
      workspaceId: workspaces.id,
      version: workspaces.knowledgeVersion,
      llm: workspaces.llm,
      embeddings: workspaces.embeddings,
      // Without its per-intent stamps (the embedder's alone), which grow with the base.
      calibration: sql<string | null>`json_remove(${workspaces.semanticCalibration}, '$.intents')`,
      bot: sites.bot,
      workingHours: sites.workingHours,
      look: sites.look,
      context: conversations.context,
      state: conversations.botState,
    })
    .from(conversations)
    .innerJoin(workspaces, eq(workspaces.id, conversations.workspaceId))
    .leftJoin(sites, eq(sites.id, conversations.siteId))
    .where(eq(conversations.id, conversationId));
  if (!row) return null;
  const knowledge = await compiledKnowledge(db, row.workspaceId, row.version);
  const stored = (row.bot ?? {}) as StoredBot;
  const botHours = readWorkingHours(stored.hours ?? {});
  const operatorHours = readWorkingHours(row.workingHours ?? {});
  const llm = (row.llm ?? {}) as Partial<ModelConfig> & { enabled?: boolean };
  // Stored values over the defaults; read as numbers, not through the schema, so a test may store a fraction of a minute.
  const defaults = readSiteBot({});
  const idleClose = Number(stored.idleCloseMinutes ?? defaults.idleCloseMinutes);
  const configured = stored.enabled !== false && [...knowledge.intents.values()].some((i) => i.enabled);
  const embeddings = readEmbeddingsConfig(row.embeddings);
  const calibration = readCalibration(row.calibration);
  const model = embeddings ? modelOf(embeddings) : "";
  const calibrated = embeddings && calibration?.fit && calibration.model === model ? calibration.fit : null;
  const browser = String((row.context as { language?: unknown } | null)?.language ?? "").slice(0, 2);
  return {
    state: { ...NEW_STATE, ...(row.state as Partial<BotState> | null) },
    configured,
    active: configured && isOpen(botHours, now),
    intents: knowledge.intents,
    matcher: knowledge.matcher,
    texts: siteTexts(stored),
    operatorsOpen: isOpen(operatorHours, now),
    idle: idleClose > 0 ? { closeMinutes: idleClose, reminderMinutes: reminderBefore(idleClose, Number(stored.reminderMinutes ?? defaults.reminderMinutes)) } : null,
    semantic: embeddings && calibrated ? { workspaceId: row.workspaceId, config: embeddings, model, fit: calibrated } : null,
    embedderBehind: embeddings !== null && (calibration?.model !== model || calibration.checkedVersion !== row.version),
    model: llm.enabled && llm.url && llm.model ? { url: llm.url, key: llm.key ?? null, model: llm.model, timeoutMs: llm.timeoutMs ?? null } : null,
    siteLang: readLook(row.look).language ?? null,
    pageLang: isLang(browser) ? browser : null,
  };
}
