import { newId } from "@tandem/protocol";
import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "../auth/actor";
import type { ResultSet } from "@libsql/client";
import type { Db } from "../db/client";
import { commit, type Step } from "../db/commit";
import type { EventType } from "../events";

// Every transition is one write transaction: a conditional UPDATE, so the
// database decides who wins a race, and event rows that are written only
// when that UPDATE changed a row (SQLite's changes(): each insert after the
// first sees the one before it, which inserted exactly one row or none).

type LoggedEvent = { type: EventType; data?: Record<string, unknown> };

type Transition = {
  conversationId: string;
  workspaceId: string;
  actor: Actor;
  event: EventType;
  data?: Record<string, unknown>;
  /** More events of the same change, written only with it. */
  also?: LoggedEvent[];
  /** Statements that must happen only with the change (a note, a round-robin stamp). */
  after?: (at: number) => SQL[];
  /** The column that records when this transition happened. */
  stamp?: "escalated_at" | "assigned_at" | "closed_at";
  set: SQL;
  when: SQL;
};

/** A transition's statements, a step of a batch: its outcome says whether it happened. */
function transitionStep(db: Db, t: Transition): Step<boolean> {
  const at = Date.now();
  const stamp = t.stamp ? sql`, ${sql.identifier(t.stamp)} = ${at}` : sql``;
  const logged: LoggedEvent[] = [{ type: t.event, data: t.data }, ...(t.also ?? [])];
  return {
    statements: [
      db.run(sql`UPDATE conversations SET ${t.set}${stamp} WHERE id = ${t.conversationId} AND ${t.when}`),
      ...logged.map((e) =>
        db.run(sql`
          INSERT INTO events (workspace_id, conversation_id, type, actor_kind, actor_id, data, at)
          SELECT ${t.workspaceId}, ${t.conversationId}, ${e.type}, ${t.actor.kind}, ${t.actor.id},
                 ${JSON.stringify(e.data ?? {})}, ${at}
          WHERE changes() = 1`),
      ),
      ...(t.after?.(at) ?? []).map((statement) => db.run(statement)),
    ],
    read: ([update]) => (update as ResultSet).rowsAffected === 1,
  };
}

async function transition(db: Db, t: Transition): Promise<boolean> {
  const [happened] = await commit(db, transitionStep(db, t));
  return happened;
}

type Ref = { id: string; workspaceId: string; groupId?: string | null };

/** Stamps the operator's last assignment (round robin and least-busy ties read it), only if the change happened. */
const stampAssigned = (workspaceId: string, operatorId: string) => (at: number) => [
  sql`UPDATE memberships SET last_assigned_at = ${at}
      WHERE workspace_id = ${workspaceId} AND operator_id = ${operatorId} AND changes() = 1`,
];

/**
 * The group a waiting conversation queues in: the group named like the
 * customer's topic, else the site's default group, else none. A group it
 * already has (a reopen, a transfer) stays.
 */
const chosenGroup = sql`COALESCE(group_id,
  (SELECT g.id FROM groups AS g
    WHERE g.workspace_id = conversations.workspace_id AND conversations.topic IS NOT NULL
      AND lower(g.name) = lower(trim(conversations.topic))
    ORDER BY g.created_at, g.id LIMIT 1),
  (SELECT g.id FROM sites AS s JOIN groups AS g ON g.id = s.default_group_id AND g.workspace_id = s.workspace_id
    WHERE s.id = conversations.site_id))`;

/** bot → queued: the conversation now waits for a human, in its group's queue. */
export function escalateConversation(db: Db, c: Ref, actor: Actor, reason: string) {
  return commit(db, escalateStep(db, c, actor, reason)).then(([happened]) => happened);
}

/** `escalateConversation` as a step, to commit with the bot's last words (one write request). */
export function escalateStep(db: Db, c: Ref, actor: Actor, reason: string) {
  return transitionStep(db, {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    actor,
    event: "escalated",
    data: { reason },
    stamp: "escalated_at",
    set: sql`status = 'queued', group_id = ${chosenGroup}`,
    when: sql`status = 'bot'`,
    after: (at) => [queuedIn(c, at)],
  });
}

/**
 * The first routing decision, logged with the escalation: which queue it
 * waits in, and why (D3). Reads the group the UPDATE just chose.
 */
const queuedIn = (c: Ref, at: number) => sql`
  INSERT INTO events (workspace_id, conversation_id, type, actor_kind, actor_id, data, at)
  SELECT c.workspace_id, c.id, 'routed', 'system', NULL,
    json_object('operatorId', NULL, 'groupId', c.group_id, 'reason',
      CASE
        WHEN g.id IS NULL THEN 'queued for anyone: no group'
        WHEN i.group_id = g.id THEN 'queued in ' || g.name || ': the bot''s intent "' || i.name || '"'
        WHEN c.topic IS NOT NULL AND lower(g.name) = lower(trim(c.topic)) THEN 'queued in ' || g.name || ': the customer''s topic'
        WHEN g.id = s.default_group_id THEN 'queued in ' || g.name || ': the site''s default group'
        ELSE 'queued in ' || g.name
      END),
    ${at}
  FROM conversations AS c
    LEFT JOIN groups AS g ON g.id = c.group_id
    LEFT JOIN sites AS s ON s.id = c.site_id
    LEFT JOIN intents AS i ON i.id = c.intent_id
  WHERE c.id = ${c.id} AND c.workspace_id = ${c.workspaceId} AND changes() = 1`;

/**
 * A routing decision for a conversation that waits again in its old queue
 * (its operator left, its customer wrote again): which queue, and why.
 */
const queuedAgain = (c: Ref, at: number, why: string) => sql`
  INSERT INTO events (workspace_id, conversation_id, type, actor_kind, actor_id, data, at)
  SELECT c.workspace_id, c.id, 'routed', 'system', NULL,
    json_object('operatorId', NULL, 'groupId', c.group_id, 'reason',
      CASE WHEN g.id IS NULL THEN 'back in the queue for anyone: ' ELSE 'back in the queue of ' || g.name || ': ' END || ${why}),
    ${at}
  FROM conversations AS c LEFT JOIN groups AS g ON g.id = c.group_id
  WHERE c.id = ${c.id} AND c.workspace_id = ${c.workspaceId} AND changes() = 1`;

/**
 * queued (or still with the bot) → assigned to this operator, by their own
 * hand; false when someone else got there first.
 */
export function claimConversation(db: Db, c: Ref, operator: { id: string; kind: "operator" } & Actor, reason: string) {
  return transition(db, {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    actor: operator,
    event: "claimed",
    data: { assigneeId: operator.id, reason },
    also: [{ type: "routed", data: { operatorId: operator.id, groupId: c.groupId ?? null, reason } }],
    after: stampAssigned(c.workspaceId, operator.id),
    stamp: "assigned_at",
    // Stepping in for the bot hands the conversation to a human as an escalation would (A4).
    set: sql`status = 'assigned', assignee_id = ${operator.id}, escalated_at = COALESCE(escalated_at, ${Date.now()}), group_id = ${chosenGroup}`,
    when: sql`status IN ('queued', 'bot')`,
  });
}

/**
 * Whether the operator can take a chat now: in the workspace, present as
 * asked, and (unless `overLimit` is allowed) below their maximum. Part of
 * the assigning statement, so the database decides against a presence
 * change or another assignment at the same moment.
 */
const canTake = (workspaceId: string, operatorId: string, presence: SQL, overLimit = false) => sql`EXISTS (
  SELECT 1 FROM memberships AS m
  WHERE m.workspace_id = ${workspaceId} AND m.operator_id = ${operatorId} AND ${presence}
    ${overLimit ? sql`` : sql`AND m.max_chats > (SELECT COUNT(*) FROM conversations AS mine
      WHERE mine.assignee_id = ${operatorId} AND mine.status = 'assigned' AND mine.workspace_id = ${workspaceId})`})`;

/**
 * queued → assigned by routing, to an operator who is online and below
 * their maximum, so two rooms routing at once cannot overfill one operator.
 */
export function assignByRouting(db: Db, c: Ref, operatorId: string, reason: string) {
  return transition(db, {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    actor: { kind: "system", id: null, workspaceId: c.workspaceId },
    event: "claimed",
    data: { assigneeId: operatorId, reason },
    also: [{ type: "routed", data: { operatorId, groupId: c.groupId ?? null, reason } }],
    after: stampAssigned(c.workspaceId, operatorId),
    stamp: "assigned_at",
    set: sql`status = 'assigned', assignee_id = ${operatorId}`,
    when: sql`status = 'queued' AND ${canTake(c.workspaceId, operatorId, sql`m.presence = 'online'`)}`,
  });
}

/**
 * assigned to `operatorId` → queued again, keeping its place by the time it
 * first waited. `why` is for the routing log ("Anna went offline").
 */
export function requeueConversation(db: Db, c: Ref, actor: Actor, operatorId: string, reason: string, why = reason) {
  return transition(db, {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    actor,
    event: "requeued",
    data: { operatorId, groupId: c.groupId ?? null, reason },
    after: (at) => [queuedAgain(c, at, why)],
    set: sql`status = 'queued', assignee_id = NULL, escalated_at = COALESCE(escalated_at, ${Date.now()})`,
    when: sql`status = 'assigned' AND assignee_id = ${operatorId}`,
  });
}

type Transfer = {
  actor: Actor & { kind: "operator" };
  fromId: string | null;
  note: string | null;
  reason: string;
  /** A supervisor may hand a chat to someone at their maximum; nobody to someone offline. */
  overLimit?: boolean;
};

/** A private note that goes with a transfer (never shown to the customer). */
const noteWith = (c: Ref, t: Transfer) => (at: number) =>
  t.note
    ? [
        sql`INSERT INTO notes (id, conversation_id, author_id, body, created_at)
            SELECT ${newId(at)}, ${c.id},
                   ${t.actor.id}, ${t.note}, ${at}
            WHERE changes() = 1`,
      ]
    : [];

/** queued or assigned → assigned to `operatorId` (D7), who is not offline. */
export function transferToOperator(db: Db, c: Ref, t: Transfer, operatorId: string) {
  return transition(db, {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    actor: t.actor,
    event: "transferred",
    data: { fromId: t.fromId, fromGroupId: c.groupId ?? null, operatorId, groupId: null, note: t.note },
    also: [{ type: "routed", data: { operatorId, groupId: c.groupId ?? null, reason: t.reason } }],
    after: (at) => [...noteWith(c, t)(at), ...stampAssigned(c.workspaceId, operatorId)(at)],
    stamp: "assigned_at",
    set: sql`status = 'assigned', assignee_id = ${operatorId}, escalated_at = COALESCE(escalated_at, ${Date.now()})`,
    when: sql`status IN ('queued', 'assigned') AND assignee_id IS NOT ${operatorId}
      AND ${canTake(c.workspaceId, operatorId, sql`m.presence != 'offline'`, t.overLimit)}`,
  });
}

/** queued or assigned → queued in `groupId` (D7); routing may assign it at once. */
export function transferToGroup(db: Db, c: Ref, t: Transfer, groupId: string) {
  return transition(db, {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    actor: t.actor,
    event: "transferred",
    data: { fromId: t.fromId, fromGroupId: c.groupId ?? null, operatorId: null, groupId, note: t.note },
    also: [{ type: "routed", data: { operatorId: null, groupId, reason: t.reason } }],
    after: noteWith(c, t),
    set: sql`status = 'queued', assignee_id = NULL, group_id = ${groupId}, escalated_at = COALESCE(escalated_at, ${Date.now()})`,
    when: sql`status IN ('queued', 'assigned')`,
  });
}

/** closed → assigned to the operator who reopens it (D8). */
export function reopenByOperator(db: Db, c: Ref, operator: Actor & { kind: "operator" }) {
  const reason = "reopened by hand";
  return transition(db, {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    actor: operator,
    event: "reopened",
    data: { reason, assigneeId: operator.id },
    also: [{ type: "routed", data: { operatorId: operator.id, groupId: c.groupId ?? null, reason } }],
    after: stampAssigned(c.workspaceId, operator.id),
    stamp: "assigned_at",
    set: sql`status = 'assigned', assignee_id = ${operator.id}, closed_at = NULL, resolved_by = NULL`,
    when: sql`status = 'closed'`,
  });
}

/** closed → queued, when the customer writes again within the site's window (D8). */
export function reopenByCustomer(db: Db, c: Ref, actor: Actor, windowMs: number) {
  return transition(db, {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    actor,
    event: "reopened",
    data: { reason: "customer wrote again" },
    after: (at) => [queuedAgain(c, at, "the customer wrote again")],
    stamp: "escalated_at",
    set: sql`status = 'queued', assignee_id = NULL, closed_at = NULL, resolved_by = NULL`,
    when: sql`status = 'closed' AND closed_at > ${Date.now() - windowMs}`,
  });
}

/** Anything open → closed. Records who resolved it: the bot alone, or a human who answered. */
export function closeConversation(db: Db, c: Ref, actor: Actor) {
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
