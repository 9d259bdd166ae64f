CREATE TABLE `unanswered` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`message_seq` integer NOT NULL,
	`text` text NOT NULL,
	`lang` text,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	`intent_id` text,
	`handled_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`intent_id`) REFERENCES `intents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `unanswered_workspace` ON `unanswered` (`workspace_id`,`handled_at`,`created_at`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `sentiment` real;--> statement-breakpoint
ALTER TABLE `conversations` ADD `sentiment_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `offline_request` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `bot_misses` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `intent_id` text REFERENCES intents(id);--> statement-breakpoint
ALTER TABLE `intent_phrasings` ADD `source` text DEFAULT 'kb' NOT NULL;--> statement-breakpoint
ALTER TABLE `intents` ADD `key` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `intents` ADD `answers` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `intents` ADD `collect` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `intents` ADD `enabled` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `intents` ADD `updated_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `intents_workspace_key` ON `intents` (`workspace_id`,`key`);--> statement-breakpoint
ALTER TABLE `sites` ADD `bot` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `suggestion_feedback` ADD `question` text;--> statement-breakpoint
CREATE INDEX `suggestion_feedback_intent` ON `suggestion_feedback` (`workspace_id`,`intent_id`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `llm` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `knowledge_version` integer DEFAULT 0 NOT NULL;