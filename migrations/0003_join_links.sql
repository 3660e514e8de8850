CREATE TABLE "sponsorships" (
	"buyer_customer_id" integer PRIMARY KEY NOT NULL,
	"storefront_id" integer NOT NULL,
	"seller_organization_id" integer NOT NULL,
	"join_link_id" text NOT NULL,
	"status" text NOT NULL,
	"posture" text DEFAULT 'prepay' NOT NULL,
	"signup_email" text NOT NULL,
	"country" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "join_links" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "join_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 5001 CACHE 1),
	"slug" text NOT NULL,
	"storefront_id" integer NOT NULL,
	"seller_customer_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"approval_policy" text NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"max_uses" integer,
	"expires_at" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sponsorships" ADD CONSTRAINT "sponsorships_buyer_customer_id_customers_id_fk" FOREIGN KEY ("buyer_customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sponsorships_email_per_storefront_key" ON "sponsorships" USING btree ("storefront_id","signup_email");--> statement-breakpoint
CREATE INDEX "sponsorships_organization_idx" ON "sponsorships" USING btree ("seller_organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "join_links_active_slug_key" ON "join_links" USING btree ("slug") WHERE "join_links"."active";--> statement-breakpoint
CREATE INDEX "join_links_organization_idx" ON "join_links" USING btree ("organization_id","active");