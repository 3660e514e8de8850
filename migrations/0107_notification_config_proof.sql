ALTER TABLE "account_notification_configs" ADD COLUMN "proof" text;--> statement-breakpoint
ALTER TABLE "account_notification_configs" ADD COLUMN "proof_reason" text;