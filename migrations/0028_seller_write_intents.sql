CREATE TABLE "seller_write_intents" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"customer_id" integer NOT NULL,
	"target" text NOT NULL,
	"tool" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"request" jsonb NOT NULL,
	"expect" jsonb,
	"state" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_token" text,
	"lease_until" timestamp with time zone,
	"due_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "campaign_media_buys" ADD COLUMN "pending_write" text;--> statement-breakpoint
ALTER TABLE "campaign_media_buys" ADD COLUMN "pending_write_id" text;--> statement-breakpoint
ALTER TABLE "campaign_media_buys" ADD COLUMN "pending_write_since" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "seller_write_intents_key" ON "seller_write_intents" USING btree ("kind","target","idempotency_key");--> statement-breakpoint
CREATE INDEX "seller_write_intents_subject_idx" ON "seller_write_intents" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "seller_write_intents_due_idx" ON "seller_write_intents" USING btree ("state","due_at");--> statement-breakpoint
CREATE INDEX "storefront_media_buys_key_idx" ON "storefront_media_buys" USING btree ("storefront_id","buyer_customer_id","idempotency_key");