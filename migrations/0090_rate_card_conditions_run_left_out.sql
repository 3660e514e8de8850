CREATE TABLE "discovery_run_left_out" (
	"discovery_run_id" bigint PRIMARY KEY NOT NULL,
	"storefront_id" integer NOT NULL,
	"total" integer NOT NULL,
	"by_reason" jsonb NOT NULL,
	"sample" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "storefront_pricing_facts" ADD COLUMN "conditions" jsonb;--> statement-breakpoint
CREATE INDEX "discovery_run_left_out_storefront_idx" ON "discovery_run_left_out" USING btree ("storefront_id");