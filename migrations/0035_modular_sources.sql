CREATE TABLE "modular_avails" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "modular_avails_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"inventory_source_id" bigint NOT NULL,
	"storefront_id" integer NOT NULL,
	"avail_id" text NOT NULL,
	"collection_id" text NOT NULL,
	"collection_name" text NOT NULL,
	"collection_description" text,
	"name" text NOT NULL,
	"channel" text,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone NOT NULL,
	"impressions_capacity" bigint NOT NULL,
	"upstream_booked" bigint DEFAULT 0 NOT NULL,
	"held" bigint DEFAULT 0 NOT NULL,
	"booked" bigint DEFAULT 0 NOT NULL,
	"cpm" numeric(14, 4),
	"currency" text,
	"format_options" jsonb NOT NULL,
	"publisher_properties" jsonb NOT NULL,
	"targeting" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"revision_id" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "modular_avails_counts_check" CHECK ("modular_avails"."held" >= 0 and "modular_avails"."booked" >= 0)
);
--> statement-breakpoint
CREATE TABLE "modular_bookings" (
	"id" text PRIMARY KEY NOT NULL,
	"inventory_source_id" bigint NOT NULL,
	"storefront_id" integer NOT NULL,
	"avail_row_id" bigint NOT NULL,
	"avail_id" text NOT NULL,
	"media_buy_id" text NOT NULL,
	"package_id" text NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"requested_impressions" bigint NOT NULL,
	"status" text NOT NULL,
	"hold_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "modular_buys" (
	"id" text PRIMARY KEY NOT NULL,
	"inventory_source_id" bigint NOT NULL,
	"storefront_id" integer NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text NOT NULL,
	"task_id" text,
	"task_status" text,
	"task_error" jsonb,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone NOT NULL,
	"packages" jsonb NOT NULL,
	"handoff" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"brand_domain" text,
	"po_number" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "modular_delivery" (
	"inventory_source_id" bigint NOT NULL,
	"buy_id" text NOT NULL,
	"package_id" text NOT NULL,
	"day" date NOT NULL,
	"impressions" bigint NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"spend" numeric(16, 4) NOT NULL,
	"currency" text NOT NULL,
	"work_item_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "modular_delivery_buy_id_package_id_day_pk" PRIMARY KEY("buy_id","package_id","day")
);
--> statement-breakpoint
CREATE TABLE "modular_feed_revisions" (
	"id" text PRIMARY KEY NOT NULL,
	"inventory_source_id" bigint NOT NULL,
	"storefront_id" integer NOT NULL,
	"revision_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"contract_id" text NOT NULL,
	"delivery_semantics" text NOT NULL,
	"content_digest" text NOT NULL,
	"input_source" text NOT NULL,
	"file_name" text,
	"actor_type" text NOT NULL,
	"baseline_revision_id" text,
	"commit_status" text NOT NULL,
	"validation_status" text NOT NULL,
	"parsed_count" integer NOT NULL,
	"rejected_count" integer NOT NULL,
	"warning_count" integer NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"committed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "modular_module_credentials" (
	"id" text PRIMARY KEY NOT NULL,
	"module_row_id" bigint NOT NULL,
	"storefront_id" integer NOT NULL,
	"name" text NOT NULL,
	"sealed" text,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "modular_modules" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "modular_modules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"inventory_source_id" bigint NOT NULL,
	"storefront_id" integer NOT NULL,
	"module_instance_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"provider" text,
	"operator_status" text,
	"contract_id" text NOT NULL,
	"contract_version" text NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_error" text,
	"last_checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "modular_row_diagnostics" (
	"revision_row_id" text NOT NULL,
	"row_number" integer NOT NULL,
	"refused" integer NOT NULL,
	"raw_row" jsonb NOT NULL,
	"diagnostics" jsonb NOT NULL,
	CONSTRAINT "modular_row_diagnostics_revision_row_id_row_number_pk" PRIMARY KEY("revision_row_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "modular_sources" (
	"inventory_source_id" bigint PRIMARY KEY NOT NULL,
	"storefront_id" integer NOT NULL,
	"setup" jsonb NOT NULL,
	"column_mapping" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"feed_id" text NOT NULL,
	"active_revision_id" text,
	"active_committed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "modular_staged_avails" (
	"revision_row_id" text NOT NULL,
	"row_number" integer NOT NULL,
	"avail" jsonb NOT NULL,
	CONSTRAINT "modular_staged_avails_revision_row_id_row_number_pk" PRIMARY KEY("revision_row_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "modular_work_item_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "modular_work_item_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"work_item_id" text NOT NULL,
	"event_type" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"notes" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "modular_work_items" (
	"id" text PRIMARY KEY NOT NULL,
	"storefront_id" integer NOT NULL,
	"inventory_source_id" bigint NOT NULL,
	"module_row_id" bigint,
	"stage" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"priority" text DEFAULT 'NORMAL' NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text NOT NULL,
	"media_buy_id" text,
	"buyer_customer_id" integer,
	"assigned_to" text,
	"due_at" timestamp with time zone,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"result" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"blocked_reason" text,
	"created_by_type" text NOT NULL,
	"created_by_id" text,
	"completed_by" text,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "modular_avails_avail_key" ON "modular_avails" USING btree ("inventory_source_id","avail_id");--> statement-breakpoint
CREATE INDEX "modular_avails_selling_idx" ON "modular_avails" USING btree ("inventory_source_id","active","end_time");--> statement-breakpoint
CREATE UNIQUE INDEX "modular_bookings_package_key" ON "modular_bookings" USING btree ("inventory_source_id","media_buy_id","package_id");--> statement-breakpoint
CREATE INDEX "modular_bookings_expiry_idx" ON "modular_bookings" USING btree ("status","hold_expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "modular_buys_idempotency_key" ON "modular_buys" USING btree ("inventory_source_id","buyer_customer_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "modular_buys_task_key" ON "modular_buys" USING btree ("task_id");--> statement-breakpoint
CREATE UNIQUE INDEX "modular_feed_revisions_revision_key" ON "modular_feed_revisions" USING btree ("inventory_source_id","revision_id");--> statement-breakpoint
CREATE UNIQUE INDEX "modular_feed_revisions_idempotency_key" ON "modular_feed_revisions" USING btree ("inventory_source_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "modular_module_credentials_module_idx" ON "modular_module_credentials" USING btree ("module_row_id");--> statement-breakpoint
CREATE UNIQUE INDEX "modular_modules_instance_key" ON "modular_modules" USING btree ("inventory_source_id","module_instance_id");--> statement-breakpoint
CREATE INDEX "modular_work_item_events_item_idx" ON "modular_work_item_events" USING btree ("work_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "modular_work_items_resource_key" ON "modular_work_items" USING btree ("inventory_source_id","kind","resource_type","resource_id");--> statement-breakpoint
CREATE INDEX "modular_work_items_queue_idx" ON "modular_work_items" USING btree ("inventory_source_id","status");