ALTER TABLE `conversations` ADD `visitor_read_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `operator_read_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `resolved` integer;--> statement-breakpoint
ALTER TABLE `sites` ADD `identity_required` integer DEFAULT false NOT NULL;