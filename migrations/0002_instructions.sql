CREATE TABLE "buyer_instructions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "buyer_instructions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"storefront_id" integer NOT NULL,
	"operator_domain" text,
	"brand_domain" text,
	"discount_percent" double precision,
	"notes" text,
	"countries" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" integer,
	CONSTRAINT "buyer_instructions_discount_range" CHECK ("buyer_instructions"."discount_percent" is null or ("buyer_instructions"."discount_percent" >= 0 and "buyer_instructions"."discount_percent" <= 100))
);
--> statement-breakpoint
CREATE TABLE "operating_instruction_counters" (
	"storefront_id" integer PRIMARY KEY NOT NULL,
	"last_version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operating_instructions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "operating_instructions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"storefront_id" integer NOT NULL,
	"version" integer NOT NULL,
	"content" text NOT NULL,
	"notes" text,
	"is_active" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX "buyer_instructions_scope_key" ON "buyer_instructions" USING btree ("storefront_id",coalesce("operator_domain", ''),coalesce("brand_domain", ''));--> statement-breakpoint
CREATE UNIQUE INDEX "operating_instructions_version_key" ON "operating_instructions" USING btree ("storefront_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "operating_instructions_active_key" ON "operating_instructions" USING btree ("storefront_id") WHERE "operating_instructions"."is_active";