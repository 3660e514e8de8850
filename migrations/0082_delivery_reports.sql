CREATE TABLE "storefront_delivery_days" (
	"storefront_id" integer NOT NULL,
	"media_buy_id" text NOT NULL,
	"package_id" text NOT NULL,
	"day" date NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"impressions" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"spend" numeric(18, 2) DEFAULT '0' NOT NULL,
	"currency" text NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "storefront_delivery_days_storefront_id_media_buy_id_package_id_day_pk" PRIMARY KEY("storefront_id","media_buy_id","package_id","day")
);
--> statement-breakpoint
CREATE TABLE "modular_delivery_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"inventory_source_id" bigint NOT NULL,
	"buy_id" text NOT NULL,
	"revision" integer NOT NULL,
	"kind" text NOT NULL,
	"adjusted" boolean NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_day" date NOT NULL,
	"last_day" date NOT NULL,
	"row_count" integer NOT NULL,
	"added_days" integer NOT NULL,
	"currency" text NOT NULL,
	"totals_before" jsonb NOT NULL,
	"totals_after" jsonb NOT NULL,
	"changes" jsonb NOT NULL,
	"overdelivery" jsonb NOT NULL,
	"notes" text,
	"work_item_id" text
);
--> statement-breakpoint
ALTER TABLE "modular_delivery" ALTER COLUMN "work_item_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "modular_delivery" ADD COLUMN "report_id" text;--> statement-breakpoint
ALTER TABLE "modular_delivery" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "storefronts" ADD COLUMN "delivery_tolerance_percent" numeric(5, 2) DEFAULT 10 NOT NULL;--> statement-breakpoint
CREATE INDEX "storefront_delivery_days_day_idx" ON "storefront_delivery_days" USING btree ("storefront_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "modular_delivery_reports_revision_key" ON "modular_delivery_reports" USING btree ("buy_id","revision");--> statement-breakpoint
-- Hand-written backfill: before revisions were kept, a buy's delivery came from its one final
-- report (completing UPLOAD_FINAL_REPORT was the only way in), so each buy with delivery gets
-- that report as its revision 1, final, and its days name it.
INSERT INTO "modular_delivery_reports" ("id", "inventory_source_id", "buy_id", "revision", "kind", "adjusted", "uploaded_by", "uploaded_at", "first_day", "last_day", "row_count", "added_days", "currency", "totals_before", "totals_after", "changes", "overdelivery", "notes", "work_item_id")
SELECT 'dr_backfill_' || d."buy_id", min(d."inventory_source_id"), d."buy_id", 1, 'final', false,
  coalesce(max(w."completed_by"), 'unknown'), max(d."created_at"), min(d."day"), max(d."day"),
  count(*)::int, count(*)::int, min(d."currency"),
  '{"impressions":0,"clicks":0,"spend":0}'::jsonb,
  jsonb_build_object('impressions', sum(d."impressions"), 'clicks', sum(d."clicks"), 'spend', round(sum(d."spend"), 2)),
  '[]'::jsonb, '[]'::jsonb, NULL, max(d."work_item_id")
FROM "modular_delivery" d LEFT JOIN "modular_work_items" w ON w."id" = d."work_item_id"
GROUP BY d."buy_id";--> statement-breakpoint
UPDATE "modular_delivery" SET "report_id" = 'dr_backfill_' || "buy_id" WHERE "report_id" IS NULL;
