ALTER TABLE "buyer_instructions" ADD COLUMN "posture" text;--> statement-breakpoint
ALTER TABLE "discovery_runs" ADD COLUMN "selected_posture" text;--> statement-breakpoint
ALTER TABLE "discovery_runs" ADD COLUMN "recommended_posture" text;--> statement-breakpoint
ALTER TABLE "discovery_runs" ADD COLUMN "posture_rationale" text;