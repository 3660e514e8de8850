-- The wholesale feed revision (0092) no longer moves when an inventory source is only probed or a
-- call to it fails: those write diagnostics (last_probe_at, last_success_at, last_error,
-- last_latency_ms, last_call_error) that shape no get_products answer. With one revision for the
-- platform, every probe of any source moved every storefront's feed version and woke the feed
-- webhook scan. Any other change of a source still moves it, in the same deferred way.
DROP TRIGGER IF EXISTS "wholesale_feed_bump" ON "inventory_sources";
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "wholesale_feed_bump" AFTER INSERT OR DELETE ON "inventory_sources"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wholesale_feed_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "wholesale_feed_bump_on_change" AFTER UPDATE ON "inventory_sources"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (
    (to_jsonb(OLD) - ARRAY['last_probe_at', 'last_success_at', 'last_error', 'last_latency_ms', 'last_call_error'])
    IS DISTINCT FROM
    (to_jsonb(NEW) - ARRAY['last_probe_at', 'last_success_at', 'last_error', 'last_latency_ms', 'last_call_error'])
  )
  EXECUTE FUNCTION wholesale_feed_bump();
