ALTER TABLE "synced_accounts" ADD COLUMN "first_synced_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "synced_accounts" SET "first_synced_at" = "updated_at";
