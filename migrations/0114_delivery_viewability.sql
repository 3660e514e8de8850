ALTER TABLE "ad_server_delivery" ADD COLUMN "measurable_impressions" bigint;--> statement-breakpoint
ALTER TABLE "ad_server_delivery" ADD COLUMN "viewable_impressions" bigint;--> statement-breakpoint
ALTER TABLE "ad_server_delivery" ADD COLUMN "viewed_seconds" numeric(12, 3);--> statement-breakpoint
ALTER TABLE "ad_server_delivery" ADD COLUMN "viewability_standard" text;--> statement-breakpoint
ALTER TABLE "modular_delivery" ADD COLUMN "measurable_impressions" bigint;--> statement-breakpoint
ALTER TABLE "modular_delivery" ADD COLUMN "viewable_impressions" bigint;--> statement-breakpoint
ALTER TABLE "modular_delivery" ADD COLUMN "viewed_seconds" numeric(12, 3);--> statement-breakpoint
ALTER TABLE "modular_delivery" ADD COLUMN "viewability_standard" text;