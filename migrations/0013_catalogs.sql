CREATE TABLE "catalog_offerings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "catalog_offerings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"catalog_row_id" bigint NOT NULL,
	"customer_id" integer NOT NULL,
	"offering_id" text NOT NULL,
	"title" text,
	"description" text,
	"price" numeric(18, 4),
	"currency" text,
	"landing_url" text,
	"image_url" text,
	"data" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_partner_syncs" (
	"catalog_row_id" bigint NOT NULL,
	"partner_id" text NOT NULL,
	"status" text NOT NULL,
	"platform_id" text,
	"item_count" integer,
	"error" text,
	"attempted_at" timestamp with time zone NOT NULL,
	"synced_at" timestamp with time zone,
	CONSTRAINT "catalog_partner_syncs_catalog_row_id_partner_id_pk" PRIMARY KEY("catalog_row_id","partner_id")
);
--> statement-breakpoint
CREATE TABLE "catalogs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "catalogs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 7001 CACHE 1),
	"customer_id" integer NOT NULL,
	"advertiser_id" bigint NOT NULL,
	"catalog_id" text NOT NULL,
	"type" text NOT NULL,
	"name" text,
	"description" text,
	"url" text,
	"feed_format" text,
	"update_frequency" text,
	"conversion_events" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"item_count" integer DEFAULT 0 NOT NULL,
	"version_number" integer DEFAULT 0 NOT NULL,
	"content_hash" text,
	"versions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_change_summary" jsonb DEFAULT '{"added":0,"updated":0,"unchanged":0,"removed":0}'::jsonb NOT NULL,
	"last_synced_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog_offerings" ADD CONSTRAINT "catalog_offerings_catalog_row_id_catalogs_id_fk" FOREIGN KEY ("catalog_row_id") REFERENCES "public"."catalogs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_partner_syncs" ADD CONSTRAINT "catalog_partner_syncs_catalog_row_id_catalogs_id_fk" FOREIGN KEY ("catalog_row_id") REFERENCES "public"."catalogs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_offerings_key" ON "catalog_offerings" USING btree ("catalog_row_id","offering_id");--> statement-breakpoint
CREATE INDEX "catalog_offerings_list_idx" ON "catalog_offerings" USING btree ("catalog_row_id","status","id");--> statement-breakpoint
CREATE UNIQUE INDEX "catalogs_advertiser_key" ON "catalogs" USING btree ("advertiser_id","catalog_id");--> statement-breakpoint
CREATE INDEX "catalogs_customer_idx" ON "catalogs" USING btree ("customer_id","advertiser_id");