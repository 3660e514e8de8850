CREATE TABLE "compliance_source_settings" (
	"inventory_source_id" bigint PRIMARY KEY NOT NULL,
	"storefront_id" integer NOT NULL,
	"allow_booking_storyboards" boolean DEFAULT false NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
