CREATE TABLE "inventory_source_product_issues" (
	"inventory_source_id" bigint NOT NULL,
	"product_id" text NOT NULL,
	"field" text NOT NULL,
	"message" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "inventory_source_product_issues_inventory_source_id_product_id_pk" PRIMARY KEY("inventory_source_id","product_id")
);
--> statement-breakpoint
ALTER TABLE "inventory_source_product_issues" ADD CONSTRAINT "inventory_source_product_issues_inventory_source_id_inventory_sources_id_fk" FOREIGN KEY ("inventory_source_id") REFERENCES "public"."inventory_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inventory_source_product_issues_seen_idx" ON "inventory_source_product_issues" USING btree ("last_seen_at");