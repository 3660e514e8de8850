CREATE TABLE "campaign_media_buys" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"campaign_id" text NOT NULL,
	"advertiser_id" integer NOT NULL,
	"sales_agent_id" text NOT NULL,
	"sales_agent_name" text NOT NULL,
	"storefront_id" integer NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'DRAFT' NOT NULL,
	"pending_reason" text,
	"adcp_status" text,
	"task_state" text,
	"task_id" text,
	"seller_media_buy_id" text,
	"idempotency_key" text NOT NULL,
	"account" jsonb NOT NULL,
	"packages" jsonb NOT NULL,
	"budget" double precision NOT NULL,
	"currency" text NOT NULL,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone NOT NULL,
	"error_code" text,
	"error_message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claim_token" text,
	"claimed_at" timestamp with time zone,
	"forwarded_at" timestamp with time zone,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"advertiser_id" integer NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'DRAFT' NOT NULL,
	"brief" text,
	"flight_start" timestamp with time zone NOT NULL,
	"flight_end" timestamp with time zone NOT NULL,
	"budget_total" double precision NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"daily_cap" double precision,
	"pacing" text,
	"constraints" jsonb,
	"storefront_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"discovery_id" text,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buyer_discoveries" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"advertiser_id" integer NOT NULL,
	"campaign_id" text,
	"ask" jsonb NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buyer_discovery_agents" (
	"discovery_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"agent_name" text NOT NULL,
	"storefront_id" integer NOT NULL,
	"storefront_name" text NOT NULL,
	"publisher_domain" text,
	"success" boolean NOT NULL,
	"timed_out" boolean DEFAULT false NOT NULL,
	"error" text,
	"response_time_ms" integer NOT NULL,
	"products" jsonb NOT NULL,
	"proposals" jsonb NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "buyer_discovery_agents_discovery_id_agent_id_pk" PRIMARY KEY("discovery_id","agent_id")
);
--> statement-breakpoint
CREATE TABLE "buyer_discovery_selections" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "buyer_discovery_selections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"discovery_id" text NOT NULL,
	"customer_id" integer NOT NULL,
	"agent_id" text NOT NULL,
	"product_id" text NOT NULL,
	"storefront_id" integer NOT NULL,
	"group_name" text NOT NULL,
	"pricing_option_id" text NOT NULL,
	"bid_price" double precision,
	"budget" double precision,
	"targeting_overlay" jsonb,
	"selected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_media_buys_agent_key" ON "campaign_media_buys" USING btree ("campaign_id","sales_agent_id");--> statement-breakpoint
CREATE INDEX "campaign_media_buys_customer_idx" ON "campaign_media_buys" USING btree ("customer_id","advertiser_id","created_at");--> statement-breakpoint
CREATE INDEX "campaigns_customer_idx" ON "campaigns" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "buyer_discoveries_customer_idx" ON "buyer_discoveries" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "buyer_discovery_selections_key" ON "buyer_discovery_selections" USING btree ("discovery_id","agent_id","product_id");