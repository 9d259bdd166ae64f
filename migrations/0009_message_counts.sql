ALTER TABLE `conversations` ADD `bot_messages` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `operator_messages` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- The messages stored already; from now on each message counts in the
-- statement that stamps its conversation (append-message.ts).
UPDATE conversations SET
  bot_messages = (SELECT COUNT(*) FROM messages AS m WHERE m.conversation_id = conversations.id AND m.author_kind = 'bot'),
  operator_messages = (SELECT COUNT(*) FROM messages AS m WHERE m.conversation_id = conversations.id AND m.author_kind = 'operator');
