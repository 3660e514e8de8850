ALTER TABLE "operating_instructions" ADD COLUMN "posture" text;--> statement-breakpoint
ALTER TABLE "storefronts" ADD COLUMN "max_products" integer;