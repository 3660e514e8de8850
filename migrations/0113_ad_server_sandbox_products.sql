CREATE TABLE "ad_server_sandbox_products" (
	"inventory_source_id" bigint NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"product_id" text NOT NULL,
	"rule" jsonb NOT NULL,
	"fixture" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_server_sandbox_products_inventory_source_id_buyer_customer_id_product_id_pk" PRIMARY KEY("inventory_source_id","buyer_customer_id","product_id")
);
