CREATE TABLE "storefront_proposal_codes" (
	"id" serial PRIMARY KEY NOT NULL,
	"storefront_id" integer NOT NULL,
	"code" text NOT NULL,
	"proposal_id" text NOT NULL,
	"operator_ref" jsonb NOT NULL,
	"label" text NOT NULL,
	"notes" text,
	"status" text DEFAULT 'active' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"discovery_session_id" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_viewed_at" timestamp with time zone,
	"last_viewed_at" timestamp with time zone,
	"redeemed_at" timestamp with time zone,
	"redeemed_in_media_buy_id" text
);
--> statement-breakpoint
CREATE TABLE "storefront_proposals" (
	"proposal_id" text PRIMARY KEY NOT NULL,
	"storefront_id" integer NOT NULL,
	"buyer_customer_id" integer,
	"currency" text NOT NULL,
	"budget" text NOT NULL,
	"allocations" jsonb NOT NULL,
	"answer" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "storefront_proposal_codes_code_key" ON "storefront_proposal_codes" USING btree ("code");--> statement-breakpoint
CREATE INDEX "storefront_proposal_codes_storefront_idx" ON "storefront_proposal_codes" USING btree ("storefront_id","id");--> statement-breakpoint
CREATE INDEX "storefront_proposals_storefront_idx" ON "storefront_proposals" USING btree ("storefront_id","created_at");