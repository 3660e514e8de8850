ALTER TABLE "campaign_media_buys" ADD COLUMN "optimization_goals" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "performance_config" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "optimization_apply_mode" text;