CREATE TABLE "storefront_media_buys" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "storefront_media_buys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"storefront_id" integer NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"media_buy_id" text NOT NULL,
	"account_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"submitted_payload" jsonb NOT NULL,
	"routed_packages" jsonb,
	"targeting_overlays" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"push_config_sealed" text,
	"approval_mode" text NOT NULL,
	"approval_status" text,
	"task_id" text,
	"discovery_run_id" bigint,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"reviewer_notes" text,
	"forward_outcome" text,
	"forward_result" jsonb,
	"forward_error" text,
	"forwarded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "storefront_media_buys_approval_mode_check" CHECK ("approval_mode" in ('auto', 'manual')),
	CONSTRAINT "storefront_media_buys_approval_status_check" CHECK ("approval_status" is null or "approval_status" in ('pending', 'approved', 'rejected', 'revoked'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "storefront_media_buys_key" ON "storefront_media_buys" USING btree ("storefront_id","media_buy_id");--> statement-breakpoint
CREATE INDEX "storefront_media_buys_queue_idx" ON "storefront_media_buys" USING btree ("storefront_id","approval_status","created_at");--> statement-breakpoint
CREATE INDEX "storefront_media_buys_buyer_idx" ON "storefront_media_buys" USING btree ("buyer_customer_id","storefront_id");--> statement-breakpoint
CREATE TABLE "storefront_creatives" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "storefront_creatives_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"storefront_id" integer NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"creative_id" text NOT NULL,
	"media_buy_id" text,
	"account_id" text NOT NULL,
	"submitted_payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"reviewer_notes" text,
	"forward_result" jsonb,
	"forwarded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "storefront_creatives_status_check" CHECK ("status" in ('pending', 'approved', 'rejected', 'revoked'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "storefront_creatives_key" ON "storefront_creatives" USING btree ("storefront_id","buyer_customer_id","creative_id");--> statement-breakpoint
CREATE INDEX "storefront_creatives_queue_idx" ON "storefront_creatives" USING btree ("storefront_id","status","created_at");--> statement-breakpoint
CREATE TABLE "merchandising_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "merchandising_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"storefront_id" integer NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"media_buy_id" text,
	"discovery_run_id" bigint,
	"event" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "merchandising_events_storefront_idx" ON "merchandising_events" USING btree ("storefront_id","created_at");--> statement-breakpoint
CREATE TABLE "discovery_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "discovery_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"storefront_id" integer NOT NULL,
	"buyer_customer_id" integer,
	"operator_domain" text,
	"brand_domain" text,
	"country" text,
	"buying_mode" text,
	"brief" text,
	"refine" jsonb,
	"product_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"packages" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_outcomes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"discount_percent" double precision,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "discovery_runs_storefront_idx" ON "discovery_runs" USING btree ("storefront_id","created_at");--> statement-breakpoint
CREATE INDEX "discovery_runs_buyer_idx" ON "discovery_runs" USING btree ("buyer_customer_id","storefront_id","created_at");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "adcp_idempotency" (
	"scoped_key" text PRIMARY KEY,
	"payload_hash" text NOT NULL,
	"response" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_adcp_idempotency_expires_at" ON "adcp_idempotency" ("expires_at");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "adcp_decisioning_tasks" (
	"task_id" text PRIMARY KEY,
	"tool" text NOT NULL,
	"account_id" text NOT NULL,
	"status" text NOT NULL DEFAULT 'submitted',
	"status_message" text,
	"result" jsonb,
	"error" jsonb,
	"progress" jsonb,
	"has_webhook" boolean NOT NULL DEFAULT false,
	"created_at" timestamp with time zone NOT NULL DEFAULT now(),
	"updated_at" timestamp with time zone NOT NULL DEFAULT now(),
	CONSTRAINT "adcp_decisioning_tasks_valid_status" CHECK ("status" in ('submitted', 'working', 'completed', 'failed'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_adcp_decisioning_tasks_account_id" ON "adcp_decisioning_tasks" ("account_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_adcp_decisioning_tasks_status_created" ON "adcp_decisioning_tasks" ("status", "created_at");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "adcp_state" (
	"collection" text NOT NULL,
	"id" text NOT NULL,
	"data" jsonb NOT NULL,
	"version" integer NOT NULL DEFAULT 1,
	"created_at" timestamp with time zone NOT NULL DEFAULT now(),
	"updated_at" timestamp with time zone NOT NULL DEFAULT now(),
	PRIMARY KEY ("collection", "id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_adcp_state_collection" ON "adcp_state" ("collection");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_adcp_state_updated" ON "adcp_state" ("updated_at");
