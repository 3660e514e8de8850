CREATE TABLE "storefront_pricing_facts" (
	"storefront_id" integer NOT NULL,
	"fact_id" text NOT NULL,
	"position" integer NOT NULL,
	"label" text NOT NULL,
	"applies_when" text NOT NULL,
	"hints" jsonb NOT NULL,
	"pricing_model" text NOT NULL,
	"currency" text,
	"target_price" double precision,
	"floor_price" double precision,
	"ceiling_price" double precision,
	"strength" text NOT NULL,
	"provenance" text,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "storefront_pricing_facts_storefront_id_fact_id_pk" PRIMARY KEY("storefront_id","fact_id"),
	CONSTRAINT "storefront_pricing_facts_strength" CHECK ("storefront_pricing_facts"."strength" in ('hard_floor', 'default', 'guidance')),
	CONSTRAINT "storefront_pricing_facts_prices" CHECK (("storefront_pricing_facts"."target_price" is null or "storefront_pricing_facts"."target_price" > 0) and ("storefront_pricing_facts"."floor_price" is null or "storefront_pricing_facts"."floor_price" >= 0) and ("storefront_pricing_facts"."ceiling_price" is null or "storefront_pricing_facts"."ceiling_price" > 0))
);
--> statement-breakpoint
CREATE TABLE "storefront_rate_cards" (
	"storefront_id" integer PRIMARY KEY NOT NULL,
	"target_percentile" text DEFAULT 'p75' NOT NULL,
	"currency" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
