// What must hold in the analytics seed's data, as SQL over what was stored:
// each query counts the rows that break one rule, so 0 everywhere is a
// coherent workspace. The seed's test runs them on a small seed; the bench
// can run them on its year (BENCH_ANALYTICS_CHECK=1).
import type { Client } from "@libsql/client/web";

/** Rule → SQL counting its violations in workspace `?` (every `?` is the workspace id). */
export const SEED_RULES: Record<string, string> = {
  "one created event per conversation, at its start": `
    SELECT count(*) FROM conversations AS c WHERE c.workspace_id = ?
      AND (SELECT count(*) FROM events AS e WHERE e.conversation_id = c.id AND e.type = 'created' AND e.at = c.created_at) != 1`,
  "no event or message before its conversation started": `
    SELECT (SELECT count(*) FROM events AS e JOIN conversations AS c ON c.id = e.conversation_id WHERE c.workspace_id = ?1 AND e.at < c.created_at)
         + (SELECT count(*) FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id WHERE c.workspace_id = ?1 AND m.created_at < c.created_at)`,
  "messages numbered 1..last_seq, in time order": `
    SELECT (SELECT count(*) FROM conversations AS c WHERE c.workspace_id = ?1
              AND (SELECT count(*) FROM messages WHERE conversation_id = c.id) != c.last_seq
               OR (SELECT COALESCE(max(seq), 0) FROM messages WHERE conversation_id = c.id) != c.last_seq)
         + (SELECT count(*) FROM (SELECT m.created_at, LAG(m.created_at) OVER (PARTITION BY m.conversation_id ORDER BY m.seq) AS before
              FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id WHERE c.workspace_id = ?1) WHERE created_at < before)`,
  "events numbered in time order": `
    SELECT count(*) FROM (SELECT at, LAG(at) OVER (ORDER BY id) AS before FROM events WHERE workspace_id = ?) WHERE at < before`,
  "closed exactly when closed_at is set, never before the start": `
    SELECT count(*) FROM conversations WHERE workspace_id = ? AND ((status = 'closed') != (closed_at IS NOT NULL) OR closed_at < created_at)`,
  "closes minus reopens: 1 for a closed conversation, else 0": `
    SELECT count(*) FROM conversations AS c WHERE c.workspace_id = ?
      AND (SELECT count(*) FROM events WHERE conversation_id = c.id AND type = 'closed')
        - (SELECT count(*) FROM events WHERE conversation_id = c.id AND type = 'reopened') != (c.status = 'closed')`,
  "closed_at is the last close": `
    SELECT count(*) FROM conversations AS c WHERE c.workspace_id = ? AND c.status = 'closed'
      AND c.closed_at != (SELECT max(at) FROM events WHERE conversation_id = c.id AND type = 'closed')`,
  "resolved_by as closeConversation sets it": `
    SELECT count(*) FROM conversations WHERE workspace_id = ? AND status = 'closed'
      AND resolved_by IS NOT (CASE WHEN escalated_at IS NULL THEN 'bot' WHEN first_human_reply_at IS NOT NULL THEN 'human' END)`,
  "an assignee exactly when assigned (a closed chat keeps its last one)": `
    SELECT count(*) FROM conversations WHERE workspace_id = ?
      AND ((status = 'assigned' AND assignee_id IS NULL) OR (status IN ('bot', 'queued') AND assignee_id IS NOT NULL))`,
  "handed to people exactly when escalated_at is set": `
    SELECT count(*) FROM conversations AS c WHERE c.workspace_id = ?
      AND (c.escalated_at IS NOT NULL) != EXISTS (SELECT 1 FROM events WHERE conversation_id = c.id AND type IN ('escalated', 'claimed', 'transferred', 'reopened'))`,
  "bot state exactly when the bot spoke, never on e-mail": `
    SELECT count(*) FROM conversations AS c WHERE c.workspace_id = ?
      AND ((c.bot_state IS NOT NULL) != EXISTS (SELECT 1 FROM messages WHERE conversation_id = c.id AND author_kind = 'bot')
        OR (c.channel = 'email' AND c.bot_state IS NOT NULL))`,
  "one first_reply exactly when first_human_reply_at is set, at that time": `
    SELECT count(*) FROM conversations AS c WHERE c.workspace_id = ?
      AND (SELECT count(*) FROM events WHERE conversation_id = c.id AND type = 'first_reply' AND at = c.first_human_reply_at) != (c.first_human_reply_at IS NOT NULL)`,
  "every first_reply after its hand-off, by an operator's message": `
    SELECT count(*) FROM events AS f WHERE f.workspace_id = ? AND f.type = 'first_reply'
      AND (f.at < COALESCE((SELECT min(at) FROM events WHERE conversation_id = f.conversation_id AND type IN ('escalated', 'claimed', 'transferred', 'reopened')), 1e15)
        OR NOT EXISTS (SELECT 1 FROM messages AS m WHERE m.conversation_id = f.conversation_id AND m.author_kind = 'operator' AND m.author_id = f.actor_id AND m.created_at = f.at))`,
  "every replied names a waiting customer message, answered then": `
    SELECT count(*) FROM events AS r WHERE r.workspace_id = ? AND r.type = 'replied'
      AND (NOT EXISTS (SELECT 1 FROM messages AS m WHERE m.conversation_id = r.conversation_id AND m.author_kind = 'visitor'
                         AND m.seq = json_extract(r.data, '$.seq') AND m.created_at <= r.at)
        OR EXISTS (SELECT 1 FROM messages AS o WHERE o.conversation_id = r.conversation_id AND o.author_kind = 'operator'
                     AND o.seq > json_extract(r.data, '$.seq') AND o.created_at < r.at)
        OR NOT EXISTS (SELECT 1 FROM events AS f WHERE f.conversation_id = r.conversation_id AND f.type = 'first_reply' AND f.at < r.at))`,
  "every rating on a closed conversation, once, after the close": `
    SELECT (SELECT count(*) FROM conversations WHERE workspace_id = ?1 AND rating IS NOT NULL AND status != 'closed')
         + (SELECT count(*) FROM conversations AS c WHERE c.workspace_id = ?1
              AND (SELECT count(*) FROM events WHERE conversation_id = c.id AND type = 'rated') != (c.rating IS NOT NULL))
         + (SELECT count(*) FROM events AS r JOIN conversations AS c ON c.id = r.conversation_id
              WHERE c.workspace_id = ?1 AND r.type = 'rated' AND (r.at < c.closed_at OR json_extract(r.data, '$.rating') != c.rating))`,
  "presence events alternate per operator": `
    SELECT count(*) FROM (SELECT json_extract(data, '$.presence') AS now,
             LAG(json_extract(data, '$.presence')) OVER (PARTITION BY json_extract(data, '$.operatorId') ORDER BY id) AS before
           FROM events WHERE workspace_id = ? AND type = 'presence' AND conversation_id IS NULL) WHERE now = before`,
  "every claim goes to an operator online then": `
    SELECT count(*) FROM events AS c WHERE c.workspace_id = ?1 AND c.type = 'claimed'
      AND COALESCE((SELECT json_extract(p.data, '$.presence') FROM events AS p
                    WHERE p.workspace_id = ?1 AND p.type = 'presence' AND p.at <= c.at
                      AND json_extract(p.data, '$.operatorId') = json_extract(c.data, '$.assigneeId')
                    ORDER BY p.at DESC, p.id DESC LIMIT 1), 'offline') != 'online'`,
  "every requeue when its operator went offline": `
    SELECT count(*) FROM events AS q WHERE q.workspace_id = ?1 AND q.type = 'requeued'
      AND NOT EXISTS (SELECT 1 FROM events AS p WHERE p.workspace_id = ?1 AND p.type = 'presence' AND p.at = q.at
                        AND json_extract(p.data, '$.presence') = 'offline' AND json_extract(p.data, '$.operatorId') = json_extract(q.data, '$.operatorId'))`,
};

/** How many rows break one rule in the workspace, through any client or transaction. */
export async function violations(db: Pick<Client, "execute">, rule: string, workspaceId: string): Promise<number> {
  const query = SEED_RULES[rule];
  const args = query.includes("?1") ? [workspaceId] : Array.from(query.matchAll(/\?/g), () => workspaceId);
  const { rows } = await db.execute({ sql: query, args });
  return Number(Object.values(rows[0])[0]);
}

/** Runs every rule against the workspace; returns the violations per rule. */
export async function checkSeed(db: Pick<Client, "execute">, workspaceId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const rule of Object.keys(SEED_RULES)) out[rule] = await violations(db, rule, workspaceId);
  return out;
}
