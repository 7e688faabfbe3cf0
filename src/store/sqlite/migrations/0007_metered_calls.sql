CREATE TABLE `qbo_metered_calls` (
	`team_id` text NOT NULL,
	`realm_id` text NOT NULL,
	`month` text NOT NULL,
	`calls` integer NOT NULL,
	PRIMARY KEY(`team_id`, `realm_id`, `month`),
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade
);
