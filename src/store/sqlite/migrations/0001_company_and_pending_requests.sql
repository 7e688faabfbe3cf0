ALTER TABLE `invoices` ADD `qbo_realm_id` text;--> statement-breakpoint
ALTER TABLE `invoices` ADD `pending_request_id` text;--> statement-breakpoint
ALTER TABLE `invoices` ADD `pay_attempt` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `qbo_realm_id` text;