-- Creative reviews get their own id, unique per storefront: creative ids are the buyers' own,
-- and two buyers on one storefront may sync the same one.
ALTER TABLE "storefront_creatives" ADD COLUMN "review_id" text;--> statement-breakpoint
UPDATE "storefront_creatives"
	SET "review_id" = 'crv_' || substr(md5(random()::text || clock_timestamp()::text || "id"::text), 1, 20);--> statement-breakpoint
ALTER TABLE "storefront_creatives" ALTER COLUMN "review_id" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "storefront_creatives_review_key" ON "storefront_creatives" USING btree ("storefront_id","review_id");--> statement-breakpoint
-- Storefront agents now give the SDK account ids scoped to the buyer and storefront
-- ("storefront-{id}/customer-{id}/{account id}"): tasks already started keep being found by
-- their buyer on their storefront.
UPDATE "adcp_decisioning_tasks" AS t
	SET "account_id" = 'storefront-' || mb."storefront_id" || '/customer-' || mb."buyer_customer_id" || '/' || t."account_id"
	FROM "storefront_media_buys" AS mb
	WHERE mb."task_id" = t."task_id" AND t."account_id" NOT LIKE 'storefront-%';
