CREATE TABLE `admin_notices` (
	`team_id` text NOT NULL,
	`cause` text NOT NULL,
	`sent_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`resolved_at` text,
	PRIMARY KEY(`team_id`, `cause`)
);
--> statement-breakpoint
CREATE TABLE `channel_bindings` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`project_profile_id` integer NOT NULL,
	`bound_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`team_id`, `channel_id`),
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `invoice_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`invoice_id` integer NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor` text NOT NULL,
	`reason` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `invoice_events_invoice` ON `invoice_events` (`invoice_id`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`source` text NOT NULL,
	`slack_file_id` text,
	`channel_id` text,
	`message_ts` text,
	`card_ts` text,
	`uploaded_by` text,
	`submitted_by` text,
	`file_name` text NOT NULL,
	`mime_type` text NOT NULL,
	`file_size` integer NOT NULL,
	`file_bytes` blob NOT NULL,
	`sha256` text NOT NULL,
	`extracted` text,
	`extraction_error` text,
	`txn_type` text,
	`purchase_account_id` text,
	`project_profile_id` integer,
	`cost_code_profile_id` integer,
	`vendor_id` text,
	`vendor_name` text,
	`amount_cents` integer,
	`currency` text,
	`invoice_number` text,
	`invoice_date` text,
	`due_date` text,
	`memo` text,
	`status_reason` text,
	`block_cause` text,
	`qbo_code` text,
	`qbo_id` text,
	`qbo_doc_number` text,
	`qbo_url` text,
	`qbo_attachable_id` text,
	`qbo_payment_id` text,
	`duplicate_of_id` integer,
	`allow_duplicate` integer DEFAULT false NOT NULL,
	`synced_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`cost_code_profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_team_file` ON `invoices` (`team_id`,`slack_file_id`);--> statement-breakpoint
CREATE INDEX `invoices_team_sha` ON `invoices` (`team_id`,`sha256`);--> statement-breakpoint
CREATE INDEX `invoices_team_status` ON `invoices` (`team_id`,`status`);--> statement-breakpoint
CREATE INDEX `invoices_team_vendor_number` ON `invoices` (`team_id`,`vendor_id`,`invoice_number`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`team_id` text,
	`dedupe_key` text,
	`payload` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`run_at` integer NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `jobs_due` ON `jobs` (`status`,`run_at`);--> statement-breakpoint
CREATE TABLE `oauth_states` (
	`state` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`view_id` text,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE TABLE `processed_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`qbo_entity` text,
	`qbo_id` text,
	`qbo_name` text,
	`linked_by` text,
	`linked_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `profiles_team_kind_name` ON `profiles` (`team_id`,`kind`,`name`);--> statement-breakpoint
CREATE TABLE `qbo_connections` (
	`team_id` text PRIMARY KEY NOT NULL,
	`realm_id` text NOT NULL,
	`company_name` text,
	`access_token_enc` text,
	`refresh_token_enc` text,
	`access_expires_at` integer,
	`refresh_expires_at` integer,
	`status` text DEFAULT 'connected' NOT NULL,
	`status_reason` text,
	`connected_by` text,
	`connected_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `qbo_list_items` (
	`team_id` text NOT NULL,
	`entity` text NOT NULL,
	`qbo_id` text NOT NULL,
	`name` text NOT NULL,
	`full_name` text NOT NULL,
	`type` text,
	`sub_type` text,
	`parent_id` text,
	`active` integer NOT NULL,
	`data` text,
	PRIMARY KEY(`team_id`, `entity`, `qbo_id`),
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `qbo_list_items_search` ON `qbo_list_items` (`team_id`,`entity`,`active`);--> statement-breakpoint
CREATE TABLE `qbo_list_refreshes` (
	`team_id` text NOT NULL,
	`entity` text NOT NULL,
	`refreshed_at` text NOT NULL,
	PRIMARY KEY(`team_id`, `entity`),
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`team_id` text PRIMARY KEY NOT NULL,
	`auto_sync` integer DEFAULT false NOT NULL,
	`default_purchase_account_id` text,
	`default_type` text DEFAULT 'Bill' NOT NULL,
	`default_expense_account_id` text,
	`admin_user_ids` text DEFAULT '[]' NOT NULL,
	`updated_by` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `slack_installations` (
	`id` text PRIMARY KEY NOT NULL,
	`installation_enc` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `workspaces` (
	`team_id` text PRIMARY KEY NOT NULL,
	`name` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
