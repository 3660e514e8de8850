CREATE TABLE "governance_agents" (
	"storefront_id" integer NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"account_id" text NOT NULL,
	"url" text NOT NULL,
	"scheme" text NOT NULL,
	"credentials_sealed" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "governance_agents_storefront_id_buyer_customer_id_account_id_pk" PRIMARY KEY("storefront_id","buyer_customer_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "governed_buys" (
	"storefront_id" integer NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"media_buy_id" text NOT NULL,
	"account_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"governance_context" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "governed_buys_storefront_id_buyer_customer_id_media_buy_id_pk" PRIMARY KEY("storefront_id","buyer_customer_id","media_buy_id")
);
