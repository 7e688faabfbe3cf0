CREATE TABLE `qbo_refresh_locks` (
	`team_id` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`until` integer NOT NULL
);
