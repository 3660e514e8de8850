CREATE TABLE "feed_mirror_subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"key_digest" text NOT NULL,
	"source_id" bigint NOT NULL,
	"source_url" text NOT NULL,
	"status" text NOT NULL,
	"signal_seq" integer DEFAULT 0 NOT NULL,
	"signalled_version" text,
	"valid_until" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feed_mirror_subscriptions_key_digest_unique" UNIQUE("key_digest")
);
