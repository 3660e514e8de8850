CREATE TABLE "upstream_seller_accounts" (
	"agent_id" text NOT NULL,
	"seller_account" text NOT NULL,
	"sandbox" boolean DEFAULT false NOT NULL,
	"customer_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "upstream_seller_accounts_agent_id_seller_account_sandbox_pk" PRIMARY KEY("agent_id","seller_account","sandbox")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "modular_staged_avails_avail_key" ON "modular_staged_avails" USING btree ("revision_row_id",("avail"->>'availId'));