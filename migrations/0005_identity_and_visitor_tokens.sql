ALTER TABLE `contacts` ADD `verified_at` integer;--> statement-breakpoint
ALTER TABLE `contacts` ADD `verified_name` text;--> statement-breakpoint
ALTER TABLE `contacts` ADD `verified_email` text;--> statement-breakpoint
ALTER TABLE `visitors` ADD `revoked_at` integer;--> statement-breakpoint
-- Until now only an identify with a good hash set an external id, so those contacts were verified; which of their names and e-mails the site gave is not known, so none is taken as verified until the next identify.
UPDATE `contacts` SET `verified_at` = `updated_at` WHERE `external_id` IS NOT NULL;
