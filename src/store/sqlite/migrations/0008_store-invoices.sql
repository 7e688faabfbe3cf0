CREATE TABLE `invoice_files` (
	`invoice_id` integer PRIMARY KEY NOT NULL,
	`bytes` blob NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- hand-written: move the stored bytes before the column goes (empty files too: a row per invoice)
INSERT INTO `invoice_files` (`invoice_id`, `bytes`) SELECT `id`, `file_bytes` FROM `invoices`;
--> statement-breakpoint
ALTER TABLE `invoices` DROP COLUMN `file_bytes`;