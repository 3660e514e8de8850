CREATE TABLE "ad_server_forecasts" (
	"inventory_source_id" bigint NOT NULL,
	"product_id" text NOT NULL,
	"forecast" jsonb,
	"forecast_at" timestamp with time zone,
	"requested_at" timestamp with time zone,
	"last_error_code" text,
	"last_error_at" timestamp with time zone,
	CONSTRAINT "ad_server_forecasts_inventory_source_id_product_id_pk" PRIMARY KEY("inventory_source_id","product_id")
);
--> statement-breakpoint
ALTER TABLE "ad_server_orders" ADD COLUMN "ad_server_status" text;--> statement-breakpoint
ALTER TABLE "ad_server_orders" ADD COLUMN "ad_server_checked_at" timestamp with time zone;