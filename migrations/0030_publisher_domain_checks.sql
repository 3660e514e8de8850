CREATE TABLE "publisher_domain_checks" (
	"storefront_id" integer NOT NULL,
	"domain" text NOT NULL,
	"adagents_status" text NOT NULL,
	"agents" jsonb NOT NULL,
	"property_count" integer,
	"error" text,
	"source_url" text,
	"fetched_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "publisher_domain_checks_storefront_id_domain_pk" PRIMARY KEY("storefront_id","domain")
);
