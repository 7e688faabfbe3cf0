ALTER TABLE `invoices` ADD `reason` text;--> statement-breakpoint
UPDATE `invoices` SET `reason` = '{"code":"created"}' WHERE `status_reason` = 'created in QuickBooks';--> statement-breakpoint
UPDATE `invoices` SET `reason` = '{"code":"autosync_off"}' WHERE `status_reason` = 'Auto-sync is off: waiting for an admin to sync';
