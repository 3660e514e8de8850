CREATE TABLE "storefront_activity" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "storefront_activity_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"storefront_id" integer NOT NULL,
	"action" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text,
	"resource_name" text,
	"user_id" integer,
	"actor_origin" text DEFAULT 'human' NOT NULL,
	"outcome" text DEFAULT 'succeeded' NOT NULL,
	"changes" jsonb,
	"description" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_sources" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "inventory_sources_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 900000000001 CACHE 1),
	"storefront_id" integer NOT NULL,
	"source_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"execution_type" text DEFAULT 'AGENT' NOT NULL,
	"type" text DEFAULT 'SALES' NOT NULL,
	"protocol" text NOT NULL,
	"endpoint_url" text NOT NULL,
	"agent_id" text NOT NULL,
	"authentication_type" text NOT NULL,
	"auth_sealed" text,
	"requires_credentials" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"capabilities" jsonb,
	"last_probe_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error" jsonb,
	"last_latency_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "storefronts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "storefronts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1001 CACHE 1),
	"customer_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"platform_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"publisher_domain" text,
	"operator_domain" text,
	"brand_name" text,
	"logo_url" text,
	"brand_colors" jsonb,
	"website" text,
	"channels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"regions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"default_currency" text,
	"supported_languages" jsonb DEFAULT '["en"]'::jsonb NOT NULL,
	"storefront_type" text DEFAULT 'composition' NOT NULL,
	"creative_approval" text DEFAULT 'manual' NOT NULL,
	"media_buy_approval" text DEFAULT 'manual' NOT NULL,
	"business_profile" jsonb,
	"marketplace_status" text DEFAULT 'PENDING_REVIEW' NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"listed_at" timestamp with time zone,
	"hidden_at" timestamp with time zone,
	"claimed_at" timestamp with time zone,
	"activated_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "storefront_activity_feed_idx" ON "storefront_activity" USING btree ("storefront_id","created_at","id");--> statement-breakpoint
CREATE INDEX "storefront_activity_resource_idx" ON "storefront_activity" USING btree ("storefront_id","resource_type","resource_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_sources_slug_key" ON "inventory_sources" USING btree ("storefront_id","source_id") WHERE "inventory_sources"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "inventory_sources_agent_idx" ON "inventory_sources" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "inventory_sources_storefront_idx" ON "inventory_sources" USING btree ("storefront_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "storefronts_customer_key" ON "storefronts" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "storefronts_platform_id_key" ON "storefronts" USING btree ("platform_id");--> statement-breakpoint
CREATE INDEX "storefronts_organization_idx" ON "storefronts" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "storefronts_marketplace_idx" ON "storefronts" USING btree ("marketplace_status","hidden");