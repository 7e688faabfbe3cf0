CREATE TABLE `qbo_list_counts` (
	`team_id` text NOT NULL,
	`entity` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`team_id`, `entity`),
	FOREIGN KEY (`team_id`) REFERENCES `workspaces`(`team_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Hand-written: the counts of lists already cached.
INSERT INTO `qbo_list_counts` (`team_id`, `entity`, `n`) SELECT `team_id`, `entity`, count(*) FROM `qbo_list_items` GROUP BY `team_id`, `entity`;
