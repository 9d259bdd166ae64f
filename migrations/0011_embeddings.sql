CREATE TABLE `phrasing_vectors` (
	`workspace_id` text NOT NULL,
	`text` text NOT NULL,
	`model` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`vector` F32_BLOB(1024),
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`next_attempt_at` integer DEFAULT 0 NOT NULL,
	`loo_own` real,
	`loo_other` real,
	`loo_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `text`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `phrasing_vectors_due` ON `phrasing_vectors` (`workspace_id`,`status`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `embeddings` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `semantic_calibration` text;