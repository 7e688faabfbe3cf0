CREATE TABLE `qbo_cdc_cursors` (
	`team_id` text PRIMARY KEY NOT NULL,
	`changed_since` integer NOT NULL,
	`ran_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `qbo_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`realm_id` text NOT NULL,
	`entity` text NOT NULL,
	`qbo_id` text NOT NULL,
	`operation` text NOT NULL,
	`last_updated` integer,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `qbo_changes_pending` ON `qbo_changes` (`team_id`,`processed_at`);--> statement-breakpoint
CREATE TABLE `qbo_entity_versions` (
	`team_id` text NOT NULL,
	`entity` text NOT NULL,
	`qbo_id` text NOT NULL,
	`last_updated` integer NOT NULL,
	PRIMARY KEY(`team_id`, `entity`, `qbo_id`),
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `qbo_connections` ADD `refresh_hard_expires_at` integer;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `uninstalled_at` text;