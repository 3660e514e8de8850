ALTER TABLE "inventory_sources" ALTER COLUMN "endpoint_url" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "inventory_sources" ALTER COLUMN "agent_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "storefronts" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "storefronts" ADD COLUMN "accepted_countries" jsonb;--> statement-breakpoint
ALTER TABLE "storefronts" ADD COLUMN "accepts_all_countries" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "storefronts" ADD COLUMN "advertising_policy_disclosure" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "storefronts" ADD COLUMN "demand_contact_name" text;--> statement-breakpoint
ALTER TABLE "storefronts" ADD COLUMN "demand_contact_email" text;--> statement-breakpoint
ALTER TABLE "storefronts" ADD COLUMN "payment_currencies" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "storefronts" ADD COLUMN "logo_background" text;