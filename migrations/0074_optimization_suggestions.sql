CREATE TABLE "optimization_suggestions" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"advertiser_id" integer NOT NULL,
	"campaign_id" text NOT NULL,
	"media_buy_id" text NOT NULL,
	"run_id" text NOT NULL,
	"basis" text NOT NULL,
	"apply_mode" text NOT NULL,
	"metric" text NOT NULL,
	"rationale" text NOT NULL,
	"currency" text NOT NULL,
	"adjustments" jsonb NOT NULL,
	"pacing" jsonb,
	"status" text NOT NULL,
	"status_reason" text,
	"status_error" text,
	"applying_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "optimization_suggestions_basis_key" ON "optimization_suggestions" USING btree ("media_buy_id","basis");--> statement-breakpoint
CREATE INDEX "optimization_suggestions_customer_idx" ON "optimization_suggestions" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "optimization_suggestions_open_idx" ON "optimization_suggestions" USING btree ("media_buy_id") WHERE status in ('HIL_WAITING', 'HIL_APPROVED', 'INGESTED');