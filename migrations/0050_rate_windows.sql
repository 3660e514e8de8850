CREATE TABLE "rate_windows" (
	"bucket" text PRIMARY KEY NOT NULL,
	"window_start" bigint NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
-- Counters are not worth a WAL write per request: a crash of PostgreSQL only resets the windows.
ALTER TABLE "rate_windows" SET UNLOGGED;
