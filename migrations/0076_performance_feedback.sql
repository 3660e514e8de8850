CREATE TABLE "performance_feedback" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "performance_feedback_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"media_buy_id" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"conversions" integer,
	"spend" double precision,
	"performance_index" double precision,
	"idempotency_key" text NOT NULL,
	"request" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "performance_feedback_buy_period_key" ON "performance_feedback" USING btree ("media_buy_id","period_start");--> statement-breakpoint
CREATE INDEX "performance_feedback_customer_idx" ON "performance_feedback" USING btree ("customer_id");