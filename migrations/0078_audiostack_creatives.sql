CREATE TABLE "audio_productions" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" integer NOT NULL,
	"advertiser_id" integer NOT NULL,
	"credential_id" bigint NOT NULL,
	"name" text NOT NULL,
	"script" text NOT NULL,
	"voice" text NOT NULL,
	"sound_template" text,
	"mastering_preset" text NOT NULL,
	"status" text NOT NULL,
	"step" text NOT NULL,
	"refs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sent_step" text,
	"asset_id" text,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "buyer_model_credentials" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "buyer_model_credentials_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"provider_type" text NOT NULL,
	"label" text NOT NULL,
	"key_sealed" text NOT NULL,
	"masked_key" text,
	"advertiser_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"connected_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "creative_assets" ADD COLUMN "asset_source" text DEFAULT 'USER_UPLOADED' NOT NULL;--> statement-breakpoint
CREATE INDEX "audio_productions_advertiser_idx" ON "audio_productions" USING btree ("customer_id","advertiser_id","created_at");--> statement-breakpoint
CREATE INDEX "buyer_model_credentials_customer_idx" ON "buyer_model_credentials" USING btree ("customer_id","provider_type");