CREATE TABLE "event_sources" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_sources_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"advertiser_id" bigint NOT NULL,
	"event_source_id" text NOT NULL,
	"name" text NOT NULL,
	"event_types" jsonb,
	"allowed_domains" jsonb,
	"integration_platform" text,
	"mapping" jsonb,
	"test_event_code" text,
	"last_event_at" timestamp with time zone,
	"last_event_received_at" timestamp with time zone,
	"last_event_type" text,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "logged_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "logged_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"advertiser_id" bigint NOT NULL,
	"source_row_id" bigint NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"custom_event_name" text,
	"event_time" timestamp with time zone NOT NULL,
	"action_source" text,
	"value" double precision,
	"currency" text,
	"order_id" text,
	"is_test" boolean DEFAULT false NOT NULL,
	"has_user_match" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "logged_events" ADD CONSTRAINT "logged_events_source_row_id_event_sources_id_fk" FOREIGN KEY ("source_row_id") REFERENCES "public"."event_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_sources_advertiser_key" ON "event_sources" USING btree ("advertiser_id","event_source_id");--> statement-breakpoint
CREATE UNIQUE INDEX "logged_events_source_event_key" ON "logged_events" USING btree ("source_row_id","event_id");--> statement-breakpoint
CREATE INDEX "logged_events_advertiser_time_idx" ON "logged_events" USING btree ("advertiser_id","event_time");