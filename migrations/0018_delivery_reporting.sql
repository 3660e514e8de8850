CREATE TABLE "delivery_daily" (
	"customer_id" integer NOT NULL,
	"advertiser_id" integer NOT NULL,
	"campaign_id" text NOT NULL,
	"media_buy_id" text NOT NULL,
	"package_id" text NOT NULL,
	"day" date NOT NULL,
	"currency" text NOT NULL,
	"impressions" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"views" bigint DEFAULT 0 NOT NULL,
	"completed_views" bigint DEFAULT 0 NOT NULL,
	"conversions" bigint DEFAULT 0 NOT NULL,
	"conversion_value" numeric(18, 2) DEFAULT '0' NOT NULL,
	"spend" numeric(18, 2) DEFAULT '0' NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "delivery_daily_media_buy_id_package_id_day_pk" PRIMARY KEY("media_buy_id","package_id","day")
);
--> statement-breakpoint
CREATE INDEX "delivery_daily_customer_day_idx" ON "delivery_daily" USING btree ("customer_id","day","media_buy_id","package_id");--> statement-breakpoint
CREATE INDEX "delivery_daily_advertiser_day_idx" ON "delivery_daily" USING btree ("customer_id","advertiser_id","day");--> statement-breakpoint
CREATE INDEX "delivery_daily_campaign_day_idx" ON "delivery_daily" USING btree ("customer_id","campaign_id","day");