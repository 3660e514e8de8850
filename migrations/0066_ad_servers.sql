CREATE TABLE "ad_server_connections" (
	"inventory_source_id" bigint PRIMARY KEY NOT NULL,
	"storefront_id" integer NOT NULL,
	"type" text NOT NULL,
	"config" jsonb NOT NULL,
	"credentials_sealed" text,
	"provisioning_status" text DEFAULT 'pending' NOT NULL,
	"last_error" text,
	"last_error_code" text,
	"last_tested_at" timestamp with time zone,
	"provisioned_at" timestamp with time zone,
	"deactivated_at" timestamp with time zone,
	"last_report_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ad_server_delivery" (
	"inventory_source_id" bigint NOT NULL,
	"order_id" text NOT NULL,
	"line_item_id" text NOT NULL,
	"day" date NOT NULL,
	"impressions" bigint NOT NULL,
	"clicks" bigint NOT NULL,
	"spend" numeric(14, 4) NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_server_delivery_inventory_source_id_line_item_id_day_pk" PRIMARY KEY("inventory_source_id","line_item_id","day")
);
--> statement-breakpoint
CREATE TABLE "ad_server_inventory" (
	"inventory_source_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"external_id" text NOT NULL,
	"parent_id" text,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"data" jsonb NOT NULL,
	"sync_run_id" text NOT NULL,
	CONSTRAINT "ad_server_inventory_inventory_source_id_kind_external_id_pk" PRIMARY KEY("inventory_source_id","kind","external_id")
);
--> statement-breakpoint
CREATE TABLE "ad_server_orders" (
	"id" text PRIMARY KEY NOT NULL,
	"inventory_source_id" bigint NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text NOT NULL,
	"external_order_id" text,
	"request" jsonb NOT NULL,
	"lines" jsonb NOT NULL,
	"currency" text NOT NULL,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone NOT NULL,
	"error" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ad_server_sync_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"inventory_source_id" bigint NOT NULL,
	"sync_type" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"items_processed" integer DEFAULT 0 NOT NULL,
	"items_failed" integer DEFAULT 0 NOT NULL,
	"error_summary" text,
	"error_category" text,
	"cursor" jsonb
);
--> statement-breakpoint
CREATE INDEX "ad_server_inventory_name_idx" ON "ad_server_inventory" USING btree ("inventory_source_id","kind","name");--> statement-breakpoint
CREATE UNIQUE INDEX "ad_server_orders_idem_idx" ON "ad_server_orders" USING btree ("inventory_source_id","buyer_customer_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "ad_server_sync_runs_source_idx" ON "ad_server_sync_runs" USING btree ("inventory_source_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ad_server_sync_runs_one_running_idx" ON "ad_server_sync_runs" USING btree ("inventory_source_id") WHERE status = 'running';