CREATE TABLE "invoice_files" (
	"invoice_id" integer PRIMARY KEY NOT NULL,
	"bytes" "bytea" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invoice_files" ADD CONSTRAINT "invoice_files_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- hand-written (as SQLite's 0008): move the stored bytes before the column goes
INSERT INTO "invoice_files" ("invoice_id", "bytes") SELECT "id", "file_bytes" FROM "invoices";--> statement-breakpoint
ALTER TABLE "invoices" DROP COLUMN "file_bytes";