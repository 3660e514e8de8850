CREATE TABLE "storefront_links" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "storefront_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 700000000001 CACHE 1),
	"upstream_storefront_id" integer NOT NULL,
	"requester_customer_id" integer NOT NULL,
	"downstream_agent_key" text NOT NULL,
	"downstream_name" text NOT NULL,
	"downstream_storefront_id" integer,
	"downstream_upstreams" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"reason" text,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "storefront_links_pair_key" ON "storefront_links" USING btree ("upstream_storefront_id","requester_customer_id","downstream_agent_key");--> statement-breakpoint
CREATE INDEX "storefront_links_upstream_idx" ON "storefront_links" USING btree ("upstream_storefront_id","status");--> statement-breakpoint
CREATE INDEX "storefront_links_requester_idx" ON "storefront_links" USING btree ("requester_customer_id");--> statement-breakpoint
CREATE INDEX "storefront_links_downstream_idx" ON "storefront_links" USING btree ("downstream_agent_key");