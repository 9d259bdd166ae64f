import { HANDOFF_REASONS, type Automation, type HandoffReason } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import { share } from "./distribution";
import { startedIn } from "./load";
import { bucketsOf, intoBuckets, localDaySql, previousOf, type Period } from "./period";
import type { Scope } from "./scope";
import { DAY_MS } from "./zone";

/**
 * The bot had the conversation (alias `c`): it took a turn (every turn writes
 * bot_state), or it handed over because it was outside its own hours.
 */
export const withBot = sql`(c.bot_state IS NOT NULL OR EXISTS (SELECT 1 FROM events AS b
  WHERE b.conversation_id = c.id AND b.type = 'escalated' AND json_extract(b.data, '$.reason') LIKE 'bot%off hours%'))`;

/** A conversation's (alias `c`) first hand-off to people as "type|reason"; null when it had none. */
export const firstHandoff = sql`(SELECT h.reason FROM durations AS h WHERE h.conversation_id = c.id AND h.metric = 'handoff')`;

/** How long a bot's close must stand before it counts as resolved alone. */
export const SETTLED_MS = 7 * DAY_MS;

/** The reason of a conversation's first hand-off, from its event's type and logged reason. */
export function reasonOf(type: string, logged: string | null): HandoffReason {
  if (type === "claimed") return "operator_took_over";
  if (type !== "escalated" || !logged) return "other";
  if (logged === "asked for a person" || logged === "customer asked") return "asked_for_person";
  if (logged === "complaint") return "complaint";
  if (logged === "two failed answers in a row") return "repeated";
  if (/off hours|offline request/.test(logged)) return "off_hours";
  if (logged.startsWith("low confidence")) return "low_confidence";
  return "other";
}

/** A4: what the bot resolved alone and what it handed to people, and why. */
export async function automation(scope: Scope, p: Period = scope.period, warnPoints = 10): Promise<Automation> {
  const [core, before, counts, unanswered] = await Promise.all([
    automationCore(scope, p),
    automationCore(scope, previousOf(p)),
    messageCounts(scope, p),
    scope.db.all<{ n: number }>(sql`SELECT COUNT(*) AS n FROM unanswered WHERE workspace_id = ${scope.workspaceId} AND handled_at IS NULL`),
  ]);
  const rise = core.handoffShare !== null && before.handoffShare !== null ? (core.handoffShare - before.handoffShare) * 100 : null;
  return {
    ...core,
    messages: { bot: counts.bot, human: counts.operator, botShare: share(counts.bot, counts.bot + counts.operator) },
    unanswered: Number(unanswered[0]?.n ?? 0),
    warning: rise !== null && rise > warnPoints ? { risePoints: Math.round(rise * 10) / 10, thresholdPoints: warnPoints } : null,
  };
}

/** The bot's and the operators' messages in the conversations started in the period. */
async function messageCounts(scope: Scope, p: Period) {
  const [row] = await scope.db.all<{ bot: number | null; operator: number | null }>(sql`
    SELECT SUM(c.bot_messages) AS bot, SUM(c.operator_messages) AS operator ${startedIn(scope, p)}`);
  return { bot: Number(row?.bot ?? 0), operator: Number(row?.operator ?? 0) };
}

type Core = Omit<Automation, "messages" | "unanswered" | "warning">;

/**
 * The conversations started in the period that the bot had (withBot), each with whether it was ever
 * handed to people (and the first hand-off) or closed by the bot long enough
 * ago to count as resolved alone.
 */
async function automationCore(scope: Scope, p: Period): Promise<Core> {
  // One row per day and first hand-off (or none, split by whether the bot's close has settled).
  const rows = await scope.db.all<{ day: number; handoff: string | null; alone: number; n: number }>(sql`
    SELECT day, handoff, (handoff IS NULL AND status = 'closed' AND closed_at <= ${scope.now - SETTLED_MS}) AS alone, COUNT(*) AS n FROM (
      SELECT ${localDaySql(p, sql`c.created_at`)} AS day, c.status, c.closed_at, ${firstHandoff} AS handoff
      ${startedIn(scope, p)} AND ${withBot})
    GROUP BY day, handoff, alone`);
  const reasons = new Map<HandoffReason, number>(HANDOFF_REASONS.map((r) => [r, 0]));
  const days = { withBot: [] as Array<{ day: number; n: number }>, alone: [] as Array<{ day: number; n: number }>, handed: [] as Array<{ day: number; n: number }> };
  let alone = 0;
  let handed = 0;
  let total = 0;
  for (const row of rows) {
    const day = Number(row.day);
    const n = Number(row.n);
    days.withBot.push({ day, n });
    total += n;
    if (row.handoff) {
      const bar = row.handoff.indexOf("|");
      const reason = reasonOf(row.handoff.slice(0, bar), row.handoff.slice(bar + 1) || null);
      reasons.set(reason, reasons.get(reason)! + n);
      days.handed.push({ day, n });
      handed += n;
    } else if (Number(row.alone)) {
      days.alone.push({ day, n });
      alone += n;
    }
  }
  return {
    withBot: total,
    resolvedAlone: alone,
    handedOff: handed,
    pending: total - alone - handed,
    resolvedAloneShare: share(alone, total),
    handoffShare: share(handed, total),
    reasons: HANDOFF_REASONS.map((reason) => ({ reason, count: reasons.get(reason)!, share: share(reasons.get(reason)!, handed) })),
    buckets: bucketsOf(p),
    series: { withBot: intoBuckets(p, days.withBot), resolvedAlone: intoBuckets(p, days.alone), handedOff: intoBuckets(p, days.handed) },
  };
}
