CREATE TABLE "buyer_sales_agents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "buyer_sales_agents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"endpoint_url" text NOT NULL,
	"protocol" text NOT NULL,
	"authentication_type" text NOT NULL,
	"auth_sealed" text,
	"account_identifier" text,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"capabilities" jsonb,
	"last_probe_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error" jsonb,
	"last_latency_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_media_buys" ALTER COLUMN "storefront_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "buyer_discovery_agents" ALTER COLUMN "storefront_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "buyer_discovery_selections" ALTER COLUMN "storefront_id" DROP NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "buyer_sales_agents_endpoint_key" ON "buyer_sales_agents" USING btree ("customer_id","endpoint_url");--> statement-breakpoint
CREATE INDEX "buyer_sales_agents_customer_idx" ON "buyer_sales_agents" USING btree ("customer_id","id");