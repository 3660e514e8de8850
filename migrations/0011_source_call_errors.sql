ALTER TABLE "inventory_sources" ADD COLUMN "last_call_error" jsonb;
