CREATE TABLE `durations` (
	`event_id` integer NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`metric` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`value` integer NOT NULL,
	`operator_id` text,
	`group_id` text,
	`reason` text,
	PRIMARY KEY(`event_id`, `metric`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `durations_metric_ended` ON `durations` (`workspace_id`,`metric`,`ended_at`,`value`);--> statement-breakpoint
CREATE INDEX `durations_metric_value` ON `durations` (`workspace_id`,`metric`,`value`,`ended_at`);--> statement-breakpoint
CREATE INDEX `durations_operator_value` ON `durations` (`workspace_id`,`metric`,`operator_id`,`value`,`ended_at`);--> statement-breakpoint
CREATE INDEX `durations_group_value` ON `durations` (`workspace_id`,`metric`,`group_id`,`value`,`ended_at`);--> statement-breakpoint
CREATE INDEX `durations_conversation` ON `durations` (`conversation_id`,`metric`,`value`,`reason`);--> statement-breakpoint
-- Where each span comes from (analytics-definitions.ts), one arm per kind, keyed
-- by the event that ends it. Handing to people: escalated, claimed, transferred,
-- requeued, reopened. A queue is entered by an escalation, a requeue, a transfer
-- to a group, or a reopen because the customer wrote again; left when an
-- operator gets it (claim, transfer to an operator, reopen by an operator) or
-- it closes.
CREATE VIEW `duration_sources` AS
SELECT event_id, workspace_id, conversation_id, metric, started_at, ended_at, MAX(0, ended_at - started_at) AS value, operator_id, group_id, reason
FROM (
  SELECT e.id AS event_id, e.workspace_id, e.conversation_id, 'firstResponse' AS metric,
    COALESCE((SELECT MIN(h.at) FROM events AS h WHERE h.conversation_id = e.conversation_id AND h.id < e.id
      AND h.type IN ('escalated', 'claimed', 'transferred', 'requeued', 'reopened')), c.created_at) AS started_at,
    e.at AS ended_at, e.actor_id AS operator_id, COALESCE(json_extract(e.data, '$.groupId'), c.group_id) AS group_id, NULL AS reason
  FROM events AS e JOIN conversations AS c ON c.id = e.conversation_id
  WHERE e.type = 'first_reply'
  UNION ALL
  SELECT e.id, e.workspace_id, e.conversation_id, 'replyTime', m.created_at, e.at, e.actor_id, c.group_id, NULL
  FROM events AS e JOIN conversations AS c ON c.id = e.conversation_id
    JOIN messages AS m ON m.conversation_id = e.conversation_id AND m.seq = json_extract(e.data, '$.seq')
  WHERE e.type = 'replied'
  UNION ALL
  SELECT e.id, e.workspace_id, e.conversation_id, 'lifetime',
    (SELECT MAX(o.at) FROM events AS o WHERE o.conversation_id = e.conversation_id AND o.id < e.id AND o.type IN ('created', 'reopened')),
    e.at, c.assignee_id, c.group_id, NULL
  FROM events AS e JOIN conversations AS c ON c.id = e.conversation_id
  WHERE e.type = 'closed'
  UNION ALL
  -- A close that ends a wait before any person answered: the customer left the queue.
  SELECT e.id, e.workspace_id, e.conversation_id, 'queueLeft',
    (SELECT MIN(h.at) FROM events AS h WHERE h.conversation_id = e.conversation_id AND h.id < e.id
      AND h.type IN ('escalated', 'claimed', 'transferred', 'requeued', 'reopened')),
    e.at, c.assignee_id, c.group_id, NULL
  FROM events AS e JOIN conversations AS c ON c.id = e.conversation_id
  WHERE e.type = 'closed'
    AND NOT EXISTS (SELECT 1 FROM events AS r WHERE r.conversation_id = e.conversation_id AND r.id < e.id AND r.type = 'first_reply')
  UNION ALL
  -- The first hand-off to people, from the conversation's start, with its reason.
  SELECT e.id, e.workspace_id, e.conversation_id, 'handoff', c.created_at, e.at,
    CASE WHEN e.type = 'claimed' THEN e.actor_id END, c.group_id,
    e.type || '|' || COALESCE(json_extract(e.data, '$.reason'), '')
  FROM events AS e JOIN conversations AS c ON c.id = e.conversation_id
  WHERE e.type IN ('escalated', 'claimed', 'transferred', 'requeued', 'reopened')
    AND NOT EXISTS (SELECT 1 FROM events AS h WHERE h.conversation_id = e.conversation_id AND h.id < e.id
      AND h.type IN ('escalated', 'claimed', 'transferred', 'requeued', 'reopened'))
  UNION ALL
  SELECT w.id, w.workspace_id, w.conversation_id, 'queueWait', (SELECT q.at FROM events AS q WHERE q.id = w.entered), w.at, w.operator_id, w.group_id, NULL
  FROM (
    SELECT e.id, e.workspace_id, e.conversation_id, e.at, c.group_id,
      COALESCE(json_extract(e.data, '$.assigneeId'), json_extract(e.data, '$.operatorId')) AS operator_id,
      (SELECT MAX(q.id) FROM events AS q WHERE q.conversation_id = e.conversation_id AND q.id < e.id
        AND q.type IN ('escalated', 'requeued', 'transferred', 'reopened')
        AND (q.type IN ('escalated', 'requeued')
          OR (q.type = 'transferred' AND json_extract(q.data, '$.operatorId') IS NULL)
          OR (q.type = 'reopened' AND json_extract(q.data, '$.reason') = 'customer wrote again'))) AS entered,
      (SELECT MAX(x.id) FROM events AS x WHERE x.conversation_id = e.conversation_id AND x.id < e.id
        AND x.type IN ('claimed', 'closed', 'transferred', 'reopened')
        AND (x.type IN ('claimed', 'closed')
          OR (x.type = 'transferred' AND json_extract(x.data, '$.operatorId') IS NOT NULL)
          OR (x.type = 'reopened' AND json_extract(x.data, '$.reason') != 'customer wrote again'))) AS left_at
    FROM events AS e JOIN conversations AS c ON c.id = e.conversation_id
    WHERE e.type = 'claimed' OR (e.type = 'transferred' AND json_extract(e.data, '$.operatorId') IS NOT NULL)
  ) AS w
  WHERE w.entered IS NOT NULL AND w.entered > COALESCE(w.left_at, 0)
)
WHERE started_at IS NOT NULL;
--> statement-breakpoint
-- Each span is written with the event that ends it, in the same statement.
CREATE TRIGGER `events_durations` AFTER INSERT ON `events`
WHEN NEW.type IN ('first_reply', 'replied', 'closed', 'claimed', 'transferred', 'escalated', 'requeued', 'reopened')
BEGIN
  INSERT INTO durations (event_id, workspace_id, conversation_id, metric, started_at, ended_at, value, operator_id, group_id, reason)
  SELECT event_id, workspace_id, conversation_id, metric, started_at, ended_at, value, operator_id, group_id, reason
  FROM duration_sources WHERE event_id = NEW.id;
END;
--> statement-breakpoint
-- The spans of what is logged already. The operator and group of a close are
-- the conversation's as it is now (the trigger takes them as they are then):
-- a conversation reopened since credits its earlier closes to its current one.
INSERT INTO durations (event_id, workspace_id, conversation_id, metric, started_at, ended_at, value, operator_id, group_id, reason)
SELECT event_id, workspace_id, conversation_id, metric, started_at, ended_at, value, operator_id, group_id, reason FROM duration_sources;
