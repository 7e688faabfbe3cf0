CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL,
	`locked_by` text,
	`delivered_at` integer,
	`ts` text,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`delivered_at`,`next_at`);--> statement-breakpoint
CREATE INDEX `outbox_key` ON `outbox` (`key`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_once` ON `outbox` (`key`) WHERE kind <> 'card';