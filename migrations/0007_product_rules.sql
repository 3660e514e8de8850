CREATE TABLE "product_rules" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "product_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"storefront_id" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"match" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"action" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_rules_kind_check" CHECK ("product_rules"."kind" in ('include', 'exclude', 'rename', 'price', 'package'))
);
--> statement-breakpoint
CREATE INDEX "product_rules_active_idx" ON "product_rules" USING btree ("storefront_id","priority","id") WHERE "product_rules"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "product_rules_package_key" ON "product_rules" USING btree ("storefront_id",("product_rules"."action" ->> 'productId')) WHERE "product_rules"."kind" = 'package';
