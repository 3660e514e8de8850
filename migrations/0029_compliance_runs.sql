CREATE TABLE "compliance_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "compliance_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_uid" uuid NOT NULL,
	"customer_id" integer NOT NULL,
	"storefront_id" integer NOT NULL,
	"inventory_source_id" bigint NOT NULL,
	"source_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"agent_url" text NOT NULL,
	"protocol" text NOT NULL,
	"trigger" text NOT NULL,
	"credential" text,
	"buyer_customer_id" integer,
	"requested_by" integer,
	"status" text NOT NULL,
	"passed" boolean,
	"summary" text,
	"storyboards" jsonb NOT NULL,
	"tracks" jsonb,
	"failures" jsonb,
	"observations" jsonb,
	"error" text,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"checked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "compliance_runs_uid_key" ON "compliance_runs" USING btree ("run_uid");--> statement-breakpoint
CREATE UNIQUE INDEX "compliance_runs_one_queued" ON "compliance_runs" USING btree ("inventory_source_id") WHERE "compliance_runs"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "compliance_runs_storefront_idx" ON "compliance_runs" USING btree ("storefront_id","id");--> statement-breakpoint
CREATE INDEX "compliance_runs_source_idx" ON "compliance_runs" USING btree ("inventory_source_id","id");