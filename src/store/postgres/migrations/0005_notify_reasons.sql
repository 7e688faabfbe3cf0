ALTER TABLE "invoices" ADD COLUMN "reason" jsonb;--> statement-breakpoint
-- hand-written (as SQLite's 0013): the two sentences old rows carry become structured reasons
UPDATE "invoices" SET "reason" = '{"code":"created"}'::jsonb WHERE "status_reason" = 'created in QuickBooks';--> statement-breakpoint
UPDATE "invoices" SET "reason" = '{"code":"autosync_off"}'::jsonb WHERE "status_reason" = 'Auto-sync is off: waiting for an admin to sync';
