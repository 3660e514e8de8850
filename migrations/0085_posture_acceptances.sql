CREATE TABLE "posture_acceptances" (
	"storefront_id" integer NOT NULL,
	"posture" text NOT NULL,
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_by" integer,
	CONSTRAINT "posture_acceptances_storefront_id_posture_pk" PRIMARY KEY("storefront_id","posture")
);
