CREATE TABLE "provider_social_objects" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "provider_social_objects_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"inventory_source_id" bigint NOT NULL,
	"buyer_customer_id" integer NOT NULL,
	"kind" text NOT NULL,
	"buyer_ref" text NOT NULL,
	"provider_name" text NOT NULL,
	"provider_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "provider_social_objects_uq" ON "provider_social_objects" USING btree ("inventory_source_id","buyer_customer_id","kind","buyer_ref");