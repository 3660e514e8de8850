CREATE TABLE "provider_buys" (
	"id" text PRIMARY KEY NOT NULL,
	"inventory_source_id" bigint NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"provider" text NOT NULL,
	"account_id" text NOT NULL,
	"status" text NOT NULL,
	"currency" text NOT NULL,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone NOT NULL,
	"packages" jsonb NOT NULL,
	"refs" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_connections" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "provider_connections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"inventory_source_id" bigint NOT NULL,
	"storefront_id" integer NOT NULL,
	"customer_id" integer NOT NULL,
	"provider" text NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"grant_sealed" text,
	"expires_at" timestamp with time zone,
	"last_refreshed_at" timestamp with time zone,
	"accounts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"selected_account_id" text,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"connected_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_oauth_states" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"connection_id" bigint NOT NULL,
	"customer_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"verifier_sealed" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "provider_buys_idempotency_uq" ON "provider_buys" USING btree ("inventory_source_id","buyer_customer_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "provider_buys_buyer_idx" ON "provider_buys" USING btree ("inventory_source_id","buyer_customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_connections_source_uq" ON "provider_connections" USING btree ("inventory_source_id");