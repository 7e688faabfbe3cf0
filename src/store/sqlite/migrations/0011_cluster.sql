CREATE TABLE `qbo_rate` (
	`realm_id` text PRIMARY KEY NOT NULL,
	`paused_until` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `qbo_rate_slots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`realm_id` text NOT NULL,
	`holder` text NOT NULL,
	`started_at` integer NOT NULL,
	`answered_at` integer,
	`lease_until` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `qbo_rate_slots_realm` ON `qbo_rate_slots` (`realm_id`,`answered_at`);--> statement-breakpoint
CREATE INDEX `qbo_rate_slots_holder` ON `qbo_rate_slots` (`holder`,`answered_at`);