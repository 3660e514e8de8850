CREATE TABLE "buyer_signal_agents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "buyer_signal_agents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
CREATE TABLE "signal_activations" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"campaign_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"signal_agent_segment_id" text NOT NULL,
	"pricing_option_id" text,
	"destinations" jsonb NOT NULL,
	"deployments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"idempotency_key" text NOT NULL,
	"last_error" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "buyer_signal_agents_endpoint_key" ON "buyer_signal_agents" USING btree ("customer_id","endpoint_url");--> statement-breakpoint
CREATE INDEX "buyer_signal_agents_customer_idx" ON "buyer_signal_agents" USING btree ("customer_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "signal_activations_once_key" ON "signal_activations" USING btree ("customer_id","campaign_id","agent_id","signal_agent_segment_id");--> statement-breakpoint
CREATE INDEX "signal_activations_campaign_idx" ON "signal_activations" USING btree ("customer_id","campaign_id");--> statement-breakpoint
CREATE INDEX "signal_activations_open_idx" ON "signal_activations" USING btree ("status","updated_at");