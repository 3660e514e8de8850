CREATE TABLE "advertiser_audiences" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "advertiser_audiences_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"advertiser_id" bigint NOT NULL,
	"audience_id" text NOT NULL,
	"name" text,
	"consent_basis" text,
	"status" text NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"uploaded_count" integer,
	"matched_count" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audience_deliveries" (
	"audience_row_id" bigint NOT NULL,
	"sales_agent_id" text NOT NULL,
	"seller_status" text,
	"matched_count" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audience_deliveries_audience_row_id_sales_agent_id_pk" PRIMARY KEY("audience_row_id","sales_agent_id")
);
--> statement-breakpoint
CREATE TABLE "audience_members" (
	"audience_row_id" bigint NOT NULL,
	"external_id" text NOT NULL,
	"hashed_email" text,
	"hashed_phone" text,
	"uids" jsonb,
	CONSTRAINT "audience_members_audience_row_id_external_id_pk" PRIMARY KEY("audience_row_id","external_id")
);
--> statement-breakpoint
CREATE TABLE "audience_sync_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"advertiser_id" bigint NOT NULL,
	"idempotency_key" text,
	"status" text NOT NULL,
	"request" jsonb NOT NULL,
	"cursor" integer DEFAULT 0 NOT NULL,
	"progress" jsonb NOT NULL,
	"response" jsonb,
	"error" jsonb,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_audiences" (
	"campaign_id" text NOT NULL,
	"audience_row_id" bigint NOT NULL,
	"type" text NOT NULL,
	"enabled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_audiences_campaign_id_audience_row_id_pk" PRIMARY KEY("campaign_id","audience_row_id")
);
--> statement-breakpoint
ALTER TABLE "audience_deliveries" ADD CONSTRAINT "audience_deliveries_audience_row_id_advertiser_audiences_id_fk" FOREIGN KEY ("audience_row_id") REFERENCES "public"."advertiser_audiences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audience_members" ADD CONSTRAINT "audience_members_audience_row_id_advertiser_audiences_id_fk" FOREIGN KEY ("audience_row_id") REFERENCES "public"."advertiser_audiences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_audiences" ADD CONSTRAINT "campaign_audiences_audience_row_id_advertiser_audiences_id_fk" FOREIGN KEY ("audience_row_id") REFERENCES "public"."advertiser_audiences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "advertiser_audiences_key" ON "advertiser_audiences" USING btree ("advertiser_id","audience_id");--> statement-breakpoint
CREATE UNIQUE INDEX "audience_sync_tasks_idempotency_key" ON "audience_sync_tasks" USING btree ("customer_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "audience_sync_tasks_open_idx" ON "audience_sync_tasks" USING btree ("status");