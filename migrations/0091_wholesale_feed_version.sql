-- Wholesale feed version (AdCP 3.1 get_products, src/agents/adcp31/feeds/): one sequence moved by
-- every write to a table that shapes a storefront's get_products answer. The constraint trigger
-- is deferred to the commit, so the value moves as the rows become visible (an answer is stamped
-- with the value read before its rows); a sequence takes no row lock, so writers never wait on
-- each other for it, on any instance.
CREATE SEQUENCE IF NOT EXISTS "wholesale_feed_seq";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "wholesale_feed_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('wholesale_feed_seq');
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
