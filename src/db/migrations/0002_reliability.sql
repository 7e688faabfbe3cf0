ALTER TABLE `jobs` ADD `locked_by` text;--> statement-breakpoint
UPDATE `jobs` SET `status` = 'dead', `last_error` = 'a duplicate of an active job with the same key' WHERE `dedupe_key` IS NOT NULL AND `status` IN ('queued', 'running') AND `id` NOT IN (SELECT min(`id`) FROM `jobs` WHERE `dedupe_key` IS NOT NULL AND `status` IN ('queued', 'running') GROUP BY `dedupe_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_active_dedupe` ON `jobs` (`dedupe_key`) WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running');
