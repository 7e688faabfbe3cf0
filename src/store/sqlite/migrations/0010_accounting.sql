CREATE TABLE `invoice_lines` (
	`invoice_id` integer NOT NULL,
	`position` integer NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`amount_cents` integer,
	`project_profile_id` integer,
	`cost_code_profile_id` integer,
	PRIMARY KEY(`invoice_id`, `position`),
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`cost_code_profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `vendor_rules` (
	`team_id` text NOT NULL,
	`vendor_id` text NOT NULL,
	`vendor_name` text NOT NULL,
	`txn_type` text,
	`purchase_account_id` text,
	`cost_code_profile_id` integer,
	`memo_pattern` text,
	`streak` integer DEFAULT 0 NOT NULL,
	`pinned` integer DEFAULT false NOT NULL,
	`auto_book` integer DEFAULT false NOT NULL,
	`updated_by` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`team_id`, `vendor_id`),
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cost_code_profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `vendor_rules_name` ON `vendor_rules` (`team_id`,lower("vendor_name"));