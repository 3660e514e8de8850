CREATE TABLE "media_buy_tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"media_buy_id" text NOT NULL,
	"task_type" text NOT NULL,
	"status" text NOT NULL,
	"seller_task_id" text,
	"error" jsonb,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_media_buys" ADD COLUMN "sync_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_media_buys" ADD COLUMN "sync_round" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_media_buys" ADD COLUMN "synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_media_buys" ADD COLUMN "buyer_task_id" text;--> statement-breakpoint
CREATE INDEX "media_buy_tasks_buy_idx" ON "media_buy_tasks" USING btree ("media_buy_id","created_at");--> statement-breakpoint
CREATE INDEX "media_buy_tasks_customer_idx" ON "media_buy_tasks" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "campaign_media_buys_sync_idx" ON "campaign_media_buys" USING btree ("customer_id","sales_agent_id","sync_due_at");--> statement-breakpoint
UPDATE "campaign_media_buys" SET "sync_due_at" = now() WHERE "forwarded_at" IS NOT NULL AND "status" NOT IN ('DRAFT', 'FAILED', 'COMPLETED', 'REJECTED', 'ARCHIVED', 'CANCELED');--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "adcp_replay_cache" (
	"keyid" text NOT NULL,
	"scope" text NOT NULL,
	"nonce" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	PRIMARY KEY ("keyid", "scope", "nonce")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_adcp_replay_cache_expires_at" ON "adcp_replay_cache" ("expires_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_adcp_replay_cache_keyid_scope_active" ON "adcp_replay_cache" ("keyid", "scope", "expires_at");
