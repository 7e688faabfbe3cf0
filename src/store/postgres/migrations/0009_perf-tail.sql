CREATE TABLE "qbo_list_counts" (
	"team_id" text NOT NULL,
	"entity" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "qbo_list_counts_team_id_entity_pk" PRIMARY KEY("team_id","entity")
);
--> statement-breakpoint
ALTER TABLE "qbo_list_counts" ADD CONSTRAINT "qbo_list_counts_team_id_workspaces_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."workspaces"("team_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hand-written: the counts of lists already cached.
INSERT INTO "qbo_list_counts" ("team_id", "entity", "n") SELECT "team_id", "entity", count(*) FROM "qbo_list_items" GROUP BY "team_id", "entity";
