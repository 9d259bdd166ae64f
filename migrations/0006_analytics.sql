ALTER TABLE `conversations` ADD `sentiment_words` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
CREATE INDEX `conversations_workspace_created` ON `conversations` (`workspace_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `handoff_warn_points` integer DEFAULT 10 NOT NULL;