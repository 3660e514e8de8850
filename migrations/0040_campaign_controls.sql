ALTER TABLE "campaigns" ADD COLUMN "pacing_periods" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "frequency_caps" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "utm_config" jsonb DEFAULT '[]'::jsonb NOT NULL;