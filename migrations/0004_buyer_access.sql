CREATE TABLE "buyer_credentials" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "buyer_credentials_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 701 CACHE 1),
	"customer_id" integer NOT NULL,
	"agent_id" text NOT NULL,
	"account_identifier" text NOT NULL,
	"account_type" text DEFAULT 'CLIENT' NOT NULL,
	"auth_type" text NOT NULL,
	"auth_sealed" text,
	"status" text NOT NULL,
	"status_reason" text,
	"advertiser_id" text,
	"registered_by" text,
	"checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buyer_interest" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "buyer_interest_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"user_id" integer,
	"storefront_ids" jsonb NOT NULL,
	"notes" text,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "buyer_credentials_account_key" ON "buyer_credentials" USING btree ("customer_id","agent_id","account_identifier");--> statement-breakpoint
CREATE INDEX "buyer_credentials_customer_idx" ON "buyer_credentials" USING btree ("customer_id","agent_id");--> statement-breakpoint
CREATE INDEX "buyer_interest_customer_idx" ON "buyer_interest" USING btree ("customer_id","submitted_at");