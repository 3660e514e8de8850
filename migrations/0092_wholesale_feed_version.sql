-- Wholesale feed revision (AdCP 3.1 get_products, src/agents/adcp31/feeds/): one row, moved once
-- per committing transaction that wrote a table shaping a storefront's get_products answer. The
-- row is transactional, so a reader sees the new revision only with the rows that moved it (an
-- answer is stamped with the revision read before its rows: never a new revision on old rows).
-- The constraint trigger is deferred to the commit, so the row is locked only while a writer
-- commits, not for its whole transaction; a transaction-local flag moves it once, however many
-- rows the transaction wrote (a feed commit of 10,000 avails, a sync of 100,000 ad units).
CREATE TABLE IF NOT EXISTS "wholesale_feed_revision" (
  "id" smallint PRIMARY KEY CHECK ("id" = 1),
  "revision" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "wholesale_feed_revision" ("id", "revision") VALUES (1, 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "wholesale_feed_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('interchange.wholesale_feed_bumped', true) = 'on' THEN
    RETURN NULL;
  END IF;
  INSERT INTO "wholesale_feed_revision" ("id", "revision") VALUES (1, 1)
    ON CONFLICT ("id") DO UPDATE SET "revision" = "wholesale_feed_revision"."revision" + 1;
  PERFORM set_config('interchange.wholesale_feed_bumped', 'on', true);
  RETURN NULL;
END
$$;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'storefronts', 'inventory_sources', 'buyer_instructions', 'storefront_rate_cards',
    'storefront_pricing_facts', 'product_rules', 'operating_instructions', 'storefront_links',
    'modular_sources', 'modular_modules', 'modular_feed_revisions', 'modular_avails',
    'modular_bookings', 'ad_server_connections', 'ad_server_sync_runs', 'ad_server_inventory',
    'provider_connections', 'posture_acceptances', 'seller_analytics_rollup'
  ] LOOP
    EXECUTE format(
      'CREATE CONSTRAINT TRIGGER wholesale_feed_bump AFTER INSERT OR UPDATE OR DELETE ON %I '
      'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wholesale_feed_bump()',
      t
    );
  END LOOP;
END
$$;
