ALTER TABLE "modular_avails" ADD COLUMN "countries" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "modular_avails" ADD COLUMN "audience" text;--> statement-breakpoint
ALTER TABLE "modular_avails" ADD COLUMN "content" text;