CREATE TABLE "upstream_account_bindings" (
	"agent_id" text NOT NULL,
	"brand_domain" text NOT NULL,
	"operator_domain" text NOT NULL,
	"sandbox" boolean DEFAULT false NOT NULL,
	"customer_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "upstream_account_bindings_agent_id_brand_domain_operator_domain_sandbox_pk" PRIMARY KEY("agent_id","brand_domain","operator_domain","sandbox")
);
