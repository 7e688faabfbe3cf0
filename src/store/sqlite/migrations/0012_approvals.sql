CREATE TABLE `approval_policies` (
	`team_id` text PRIMARY KEY NOT NULL,
	`reminder_hours` integer DEFAULT 24 NOT NULL,
	`escalation_hours` integer DEFAULT 24 NOT NULL,
	`updated_by` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `approval_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`position` integer NOT NULL,
	`when` text NOT NULL,
	`approvers` text NOT NULL,
	`allow_self_approval` integer DEFAULT false NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `approval_rules_team` ON `approval_rules` (`team_id`,`position`);--> statement-breakpoint
CREATE TABLE `approval_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`invoice_id` integer NOT NULL,
	`round` integer NOT NULL,
	`revision` integer NOT NULL,
	`position` integer NOT NULL,
	`rule_id` integer,
	`rule_text` text NOT NULL,
	`approver_user_ids` text NOT NULL,
	`label` text NOT NULL,
	`allow_self_approval` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decided_by_name` text,
	`decided_at` integer,
	`reason` text,
	`override` integer DEFAULT false NOT NULL,
	`activated_at` integer,
	`reminded_at` integer,
	`escalated_at` integer,
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `approval_steps_invoice` ON `approval_steps` (`invoice_id`,`round`,`position`);--> statement-breakpoint
CREATE INDEX `approval_steps_team_status` ON `approval_steps` (`team_id`,`status`);--> statement-breakpoint
ALTER TABLE `profiles` ADD `approver_user_ids` text DEFAULT '[]' NOT NULL;