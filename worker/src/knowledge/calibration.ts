import { sql } from "drizzle-orm";
import { buildMatcher, calibrate, calibrationOf, HELD_OUT_LIMIT, spread, type Calibration, type MatchIntent } from "../bot/matcher";
import type { Db } from "../db/client";
import { logError } from "../log-error";
import { loadKnowledge, type KnowledgeIntent } from "./load";

/** What changed: the texts of the phrasings added, edited or removed, or the whole base (an import). */
export type Changed = { texts: string[] } | "all";

/** A base without its own figures for at least this share of what would be held out is calibrated on the spot. */
const STORED_SHARE = 0.5;
/** On the spot, in a room, at most this many phrasings are held out: ~0.3 s on a 1,000-intent base. */
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

/**
 * Calibrates what a change to the knowledge base can have moved (issue 19):
 * the phrasings with no figures yet (new or edited ones), and those that share
 * a word with what changed — a phrasing's nearest other intent can only be one
 * whose words it shares. With "all", every phrasing. At most HELD_OUT_LIMIT
 * are held out, spread over the base; the figures are stored on the phrasings
 * in one statement. The rest keep theirs: a word's weight shifts a little with
 * every intent added, which an import (all) or the next edit near it catches.
 * Returns how many phrasings were held out.
 */
export async function recalibrate(db: Db, workspaceId: string, changed: Changed): Promise<number> {
  const { intents } = await loadKnowledge(db, workspaceId);
  const live = intents.filter((i) => i.enabled);
  const rows = live.flatMap((i) => i.phrasings);
  if (rows.length === 0) return 0;
  const matcher = buildMatcher(live.map(matchIntentOf));
  const wanted = changed === "all" ? [...rows.keys()] : [...new Set([...rows.flatMap((r, n) => (r.heldOut ? [] : [n])), ...matcher.touching(changed.texts)])].sort((a, b) => a - b);
  const picked = spread(wanted.length, HELD_OUT_LIMIT).map((i) => wanted[i]);
  const figures = matcher.heldOut(picked);
  const stored = JSON.stringify(picked.map((n, i) => ({ id: rows[n].id, own: round(figures[i].own), other: round(figures[i].other) })));
  const mine = sql`intent_phrasings.intent_id IN (SELECT id FROM intents WHERE workspace_id = ${workspaceId})`;
  await db.batch([
    // Over the limit, an import's unpicked phrasings lose figures that were measured on another base.
    db.run(changed === "all" ? sql`UPDATE intent_phrasings SET loo_own = NULL, loo_other = NULL WHERE ${mine}` : sql`SELECT 1`),
    db.run(sql`
      UPDATE intent_phrasings SET loo_own = json_extract(j.value, '$.own'), loo_other = json_extract(j.value, '$.other')
      FROM json_each(${stored}) AS j
      WHERE intent_phrasings.id = json_extract(j.value, '$.id') AND ${mine}`),
  ]);
  return picked.length;
}

/**
 * `recalibrate` after a change has committed. The change stands whatever
 * happens here: a base whose figures are missing is calibrated on the spot
 * where it is matched (`calibrationFor`).
 */
export async function recalibrateAfter(db: Db, workspaceId: string, changed: Changed) {
  try {
    await recalibrate(db, workspaceId, changed);
  } catch (error) {
    logError("knowledge calibration", error);
  }
}

/** The base's calibration from its stored figures, or computed here when too few are stored. */
export function calibrationFor(intents: KnowledgeIntent[]): Calibration {
  const live = intents.filter((i) => i.enabled);
  const count = live.reduce((n, i) => n + i.phrasings.length, 0);
  const stored = live.flatMap((i) => i.phrasings.flatMap((p) => (p.heldOut ? [p.heldOut] : [])));
  if (stored.length >= STORED_SHARE * Math.min(count, HELD_OUT_LIMIT)) return calibrationOf(stored, live.length);
  return calibrate(live.map(matchIntentOf), ON_THE_SPOT_LIMIT);
}

const round = (x: number) => Math.round(x * 10000) / 10000;
