import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { buildMatcher, calibrationOf, HELD_OUT_LIMIT, spread, type Calibration, type MatchIntent } from "../bot/matcher";
import type { Db } from "../db/client";
import { logError } from "../log-error";
import { loadKnowledge, type KnowledgeIntent } from "./load";
import { bumpVersion } from "./version";

/** What changed: the texts of the phrasings and answers added, edited or removed, or the whole base (an import). */
export type Changed = { texts: string[] } | "all";

/** A base without its own figures for at least this share of what would be held out is calibrated where it is matched. */
const STORED_SHARE = 0.5;
/** Where it is matched, at most this many phrasings are held out: ~0.3 s on a 1,000-intent base. */
const ON_THE_SPOT_LIMIT = 300;

/** An intent as the matcher takes it: its phrasings, and its answers as weaker evidence. */
export function matchIntentOf(intent: KnowledgeIntent): MatchIntent {
  return {
    id: intent.id,
    enabled: intent.enabled,
    phrasings: intent.phrasings,
    answers: Object.entries(intent.answer).map(([lang, text]) => ({ lang: lang as "ru" | "uk" | "en", text: text ?? "" })),
  };
}

/** The texts an intent brings to the matcher: what a change to it can move. */
export const textsOf = (intent: KnowledgeIntent | undefined): string[] =>
  intent ? [...intent.phrasings.map((p) => p.text), ...Object.values(intent.answer).filter((t): t is string => Boolean(t))] : [];

/**
 * The statement that stores a change's calibration figures (issue 19), for the
 * batch that makes the change: `after` is the base as that batch leaves it,
 * phrasing ids included, so the figures commit with the version bump and no
 * room can compile the new version without them. Held out, at most
 * HELD_OUT_LIMIT: first the phrasings that share a word with what changed (a
 * phrasing's nearest other intent can only be one whose words it shares),
 * then those with no figures yet; with "all", every phrasing, spread over the
 * base. The rest keep theirs: a word's weight shifts a little with every
 * intent added, which the next edit near it catches. A failure here is
 * logged and the change goes ahead without figures: the base is then
 * calibrated where it is matched (`calibrationFor`).
 */
export function calibrationStatement(db: Db, workspaceId: string, after: KnowledgeIntent[], changed: Changed): BatchItem<"sqlite">[] {
  try {
    const figures = measure(after, changed);
    if (!figures.length) return [];
    const mine = sql`intent_phrasings.intent_id IN (SELECT id FROM intents WHERE workspace_id = ${workspaceId})`;
    return [
      db.run(sql`
        UPDATE intent_phrasings SET loo_own = json_extract(j.value, '$.own'), loo_other = json_extract(j.value, '$.other')
        FROM json_each(${JSON.stringify(figures)}) AS j
        WHERE intent_phrasings.id = json_extract(j.value, '$.id') AND ${mine}`),
    ];
  } catch (error) {
    logError("knowledge calibration", error);
    return [];
  }
}

/** The figures of the phrasings a change wants held out, each `{ id, own, other }`. */
function measure(after: KnowledgeIntent[], changed: Changed) {
  const live = after.filter((i) => i.enabled);
  const rows = live.flatMap((i) => i.phrasings);
  if (rows.length === 0) return [];
  const matcher = buildMatcher(live.map(matchIntentOf));
  let picked: number[];
  if (changed === "all") picked = spread(rows.length, HELD_OUT_LIMIT);
  else {
    const touched = matcher.touching(changed.texts);
    const seen = new Set(touched);
    const unmeasured = [...rows.keys()].filter((n) => !rows[n].heldOut && !seen.has(n));
    picked =
      touched.length >= HELD_OUT_LIMIT
        ? spread(touched.length, HELD_OUT_LIMIT).map((i) => touched[i])
        : [...touched, ...spread(unmeasured.length, HELD_OUT_LIMIT - touched.length).map((i) => unmeasured[i])];
  }
  const figures = matcher.heldOut(picked);
  return picked.map((n, i) => ({ id: rows[n].id, own: round(figures[i].own), other: round(figures[i].other) }));
}

/**
 * An import's calibration, after its batch (the base it leaves is what the
 * database then holds): every phrasing measured again, and the version bumped
 * with the figures so that a room that compiled in between compiles again.
 * Returns the version, or null when the figures could not be stored.
 */
export async function recalibrateAll(db: Db, workspaceId: string): Promise<number | null> {
  try {
    const { intents } = await loadKnowledge(db, workspaceId);
    const mine = sql`intent_id IN (SELECT id FROM intents WHERE workspace_id = ${workspaceId})`;
    const results = await db.batch([
      // Over the limit, the phrasings not held out lose figures measured on another base.
      db.run(sql`UPDATE intent_phrasings SET loo_own = NULL, loo_other = NULL WHERE ${mine}`),
      ...calibrationStatement(db, workspaceId, intents, "all"),
      bumpVersion(db, workspaceId),
    ]);
    return (results.at(-1) as { version: number }[])[0]?.version ?? null;
  } catch (error) {
    logError("knowledge calibration", error);
    return null;
  }
}

/**
 * The base's calibration: from its stored figures, or, when too few are
 * stored (a base from before calibration, or one whose figures failed),
 * measured by the matcher as it is built (`buildMatcher`'s `{ measure }`).
 */
export function calibrationFor(intents: KnowledgeIntent[]): Calibration | { measure: number } {
  const live = intents.filter((i) => i.enabled);
  const count = live.reduce((n, i) => n + i.phrasings.length, 0);
  const stored = live.flatMap((i) => i.phrasings.flatMap((p) => (p.heldOut ? [p.heldOut] : [])));
  if (stored.length >= STORED_SHARE * Math.min(count, HELD_OUT_LIMIT)) return calibrationOf(stored, live.length);
  return { measure: ON_THE_SPOT_LIMIT };
}

const round = (x: number) => Math.round(x * 10000) / 10000;
