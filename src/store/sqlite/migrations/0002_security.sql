ALTER TABLE `qbo_connections` ADD `company_identity` text;--> statement-breakpoint
ALTER TABLE `settings` ADD `payer_user_ids` text DEFAULT '[]' NOT NULL;