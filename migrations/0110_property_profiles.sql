CREATE TABLE "property_profiles" (
	"storefront_id" integer NOT NULL,
	"publisher_domain" text NOT NULL,
	"countries" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"audience" text,
	"content" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "property_profiles_storefront_id_publisher_domain_pk" PRIMARY KEY("storefront_id","publisher_domain")
);
