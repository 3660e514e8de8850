CREATE TABLE "oauth_states" (
	"state" text PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"agent_id" text NOT NULL,
	"credential_id" bigint NOT NULL,
	"verifier_sealed" text NOT NULL,
	"token_endpoint" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
