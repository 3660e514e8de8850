CREATE TABLE "sandbox_fixture_holders" (
	"storefront_id" integer NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"product_id" text NOT NULL,
	"source_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sandbox_fixture_holders_storefront_id_buyer_customer_id_product_id_pk" PRIMARY KEY("storefront_id","buyer_customer_id","product_id")
);
