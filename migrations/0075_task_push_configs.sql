CREATE TABLE "task_push_configs" (
	"task_id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"token_sealed" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
