ALTER TABLE `conversations` ADD `bot_messages` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `operator_messages` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Each bot or operator message counts on its conversation in the same statement that stores it.
CREATE TRIGGER `messages_counts` AFTER INSERT ON `messages`
WHEN NEW.author_kind IN ('bot', 'operator')
BEGIN
  UPDATE conversations SET bot_messages = bot_messages + (NEW.author_kind = 'bot'), operator_messages = operator_messages + (NEW.author_kind = 'operator')
  WHERE id = NEW.conversation_id;
END;
--> statement-breakpoint
-- The messages stored already.
UPDATE conversations SET
  bot_messages = (SELECT COUNT(*) FROM messages AS m WHERE m.conversation_id = conversations.id AND m.author_kind = 'bot'),
  operator_messages = (SELECT COUNT(*) FROM messages AS m WHERE m.conversation_id = conversations.id AND m.author_kind = 'operator');
