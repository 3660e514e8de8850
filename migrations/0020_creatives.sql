CREATE TABLE "campaign_creatives" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"campaign_id" text NOT NULL,
	"advertiser_id" integer NOT NULL,
	"name" text NOT NULL,
	"message" text,
	"format_id" jsonb,
	"format_kind" text,
	"slots" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"industry_identifiers" jsonb,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "creative_assets" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"storage_key" text NOT NULL,
	"original_filename" text NOT NULL,
	"asset_type" text NOT NULL,
	"content_type" text NOT NULL,
	"file_size" integer NOT NULL,
	"width" integer,
	"height" integer,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "creative_placements" (
	"creative_id" text NOT NULL,
	"customer_id" integer NOT NULL,
	"agent_id" text NOT NULL,
	"agent_name" text NOT NULL,
	"sync_state" text NOT NULL,
	"revision" integer NOT NULL,
	"approval_status" text,
	"reason" text,
	"synced_at" timestamp with time zone NOT NULL,
	CONSTRAINT "creative_placements_creative_id_agent_id_pk" PRIMARY KEY("creative_id","agent_id")
);
--> statement-breakpoint
CREATE TABLE "buyer_format_caches" (
	"customer_id" integer NOT NULL,
	"agent_id" text NOT NULL,
	"formats" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_error" text,
	"fetched_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "buyer_format_caches_customer_id_agent_id_pk" PRIMARY KEY("customer_id","agent_id")
);
--> statement-breakpoint
CREATE INDEX "campaign_creatives_campaign_idx" ON "campaign_creatives" USING btree ("customer_id","campaign_id","created_at");--> statement-breakpoint
CREATE INDEX "creative_assets_customer_idx" ON "creative_assets" USING btree ("customer_id","created_at");