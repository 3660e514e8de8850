-- Seller analytics (module seller-analytics): the posture each discovery run used and the
-- recommendation then in force, beside discovery_runs rather than a column of it.
CREATE TABLE "discovery_run_postures" (
	"discovery_run_id" bigint PRIMARY KEY NOT NULL,
	"storefront_id" integer NOT NULL,
	"selected_posture" text,
	"recommended_posture" text,
	"rationale" text,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "discovery_run_postures_storefront_idx" ON "discovery_run_postures" USING btree ("storefront_id");
--> statement-breakpoint
-- Read-only access paths seller analytics needs on media-buys' tables (an index changes no
-- writer): one buy's events (timeline, delivered flag) and a buyer's events in time order.
CREATE INDEX IF NOT EXISTS "merchandising_events_media_buy_idx" ON "merchandising_events" USING btree ("storefront_id","media_buy_id","created_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "merchandising_events_buyer_idx" ON "merchandising_events" USING btree ("storefront_id","buyer_customer_id","created_at");
--> statement-breakpoint
CREATE TABLE "seller_analytics_rollup" (
	"run_id" bigint NOT NULL,
	"media_buy_id" text NOT NULL,
	"storefront_id" integer NOT NULL,
	"submitted_count" integer DEFAULT 0 NOT NULL,
	"forwarded_count" integer DEFAULT 0 NOT NULL,
	"forward_failed_count" integer DEFAULT 0 NOT NULL,
	"rejected_count" integer DEFAULT 0 NOT NULL,
	"delivery_reported_count" integer DEFAULT 0 NOT NULL,
	"latest_event" text NOT NULL,
	"latest_at" timestamp with time zone NOT NULL,
	"latest_event_id" bigint NOT NULL,
	"delivery_at" timestamp with time zone,
	"delivery_event_id" bigint,
	"delivery_detail" jsonb,
	CONSTRAINT "seller_analytics_rollup_run_id_media_buy_id_pk" PRIMARY KEY("run_id","media_buy_id")
);
--> statement-breakpoint
CREATE TABLE "seller_analytics_watermarks" (
	"storefront_id" integer PRIMARY KEY NOT NULL,
	"event_id" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
