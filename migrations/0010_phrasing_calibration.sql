ALTER TABLE `intent_phrasings` ADD `loo_own` real;--> statement-breakpoint
ALTER TABLE `intent_phrasings` ADD `loo_other` real;