ALTER TABLE "provider_buys" ADD COLUMN "lease_token" text;--> statement-breakpoint
ALTER TABLE "provider_buys" ADD COLUMN "lease_until" timestamp with time zone;