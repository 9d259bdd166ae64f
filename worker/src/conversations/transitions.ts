import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "../auth/actor";
import type { Db } from "../db/client";
import type { EventType } from "../events";

// Every transition is one write transaction: a conditional UPDATE, so the
// database decides who wins a race, and an event row that is written only
// when that UPDATE changed a row (SQLite's changes()).

type Transition = {
  conversationId: string;
  workspaceId: string;
  actor: Actor;
  event: EventType;
  data?: Record<string, unknown>;
  /** The column that records when this transition happened. */
  stamp: "escalated_at" | "assigned_at" | "closed_at";
  set: SQL;
  when: SQL;
};

async function transition(db: Db, t: Transition): Promise<boolean> {
  const at = Date.now();
  const stamp = sql.identifier(t.stamp);
  const [, , check] = await db.batch([
    db.run(sql`UPDATE conversations SET ${t.set}, ${stamp} = ${at} WHERE id = ${t.conversationId} AND ${t.when}`),
    db.run(sql`
      INSERT INTO events (workspace_id, conversation_id, type, actor_kind, actor_id, data, at)
      SELECT ${t.workspaceId}, ${t.conversationId}, ${t.event}, ${t.actor.kind}, ${t.actor.id},
             ${JSON.stringify(t.data ?? {})}, ${at}
      WHERE changes() = 1`),
    db.all<{ ok: number }>(sql`SELECT changes() AS ok`),
  ]);
  return check[0]?.ok === 1;
}

/** bot → queued: the conversation now waits for a human. */
export function escalateConversation(db: Db, c: { id: string; workspaceId: string }, actor: Actor, reason: string) {
  return transition(db, {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    actor,
    event: "escalated",
    data: { reason },
    stamp: "escalated_at",
    set: sql`status = 'queued'`,
    when: sql`status = 'bot'`,
  });
}

/** queued → assigned to this operator; false when someone else got there first. */
export function claimConversation(
  db: Db,
  c: { id: string; workspaceId: string },
  operator: { id: string; kind: "operator" } & Actor,
  reason: string,
) {
  return transition(db, {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    actor: operator,
    event: "claimed",
    data: { assigneeId: operator.id, reason },
    stamp: "assigned_at",
    set: sql`status = 'assigned', assignee_id = ${operator.id}`,
    when: sql`status = 'queued'`,
  });
}

/** Anything open → closed. Records who resolved it: the bot alone, or a human who answered. */
export function closeConversation(db: Db, c: { id: string; workspaceId: string }, actor: Actor) {
  return transition(db, {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    actor,
    event: "closed",
    stamp: "closed_at",
    set: sql`status = 'closed', resolved_by = CASE
      WHEN escalated_at IS NULL THEN 'bot'
      WHEN first_human_reply_at IS NOT NULL THEN 'human'
    END`,
    when: sql`status != 'closed'`,
  });
}
