CREATE TABLE "account_notification_configs" (
	"storefront_id" integer NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"account_id" text NOT NULL,
	"subscriber_id" text NOT NULL,
	"position" integer NOT NULL,
	"url" text NOT NULL,
	"event_types" jsonb NOT NULL,
	"auth_scheme" text,
	"credentials_sealed" text,
	"active" boolean NOT NULL,
	"feed_snapshot" jsonb,
	"feed_version" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_notification_configs_storefront_id_buyer_customer_id_account_id_subscriber_id_pk" PRIMARY KEY("storefront_id","buyer_customer_id","account_id","subscriber_id")
);
--> statement-breakpoint
CREATE TABLE "feed_webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"storefront_id" integer NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"account_id" text NOT NULL,
	"subscriber_id" text NOT NULL,
	"notification_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "synced_accounts" (
	"storefront_id" integer NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"account_id" text NOT NULL,
	"brand" jsonb NOT NULL,
	"operator" text NOT NULL,
	"sandbox" boolean DEFAULT false NOT NULL,
	"payment_terms" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "synced_accounts_storefront_id_buyer_customer_id_account_id_pk" PRIMARY KEY("storefront_id","buyer_customer_id","account_id")
);
--> statement-breakpoint
CREATE INDEX "account_notification_configs_active_idx" ON "account_notification_configs" USING btree ("storefront_id") WHERE "account_notification_configs"."active";--> statement-breakpoint
CREATE INDEX "feed_webhook_deliveries_owner_idx" ON "feed_webhook_deliveries" USING btree ("storefront_id","buyer_customer_id");