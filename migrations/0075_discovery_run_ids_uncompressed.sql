-- Issue 30: a discovery run's product ids are stored uncompressed. Measured on the embedded
-- PostgreSQL, compressing (pglz) a run of 9,000 ids (~390 kB) was most of the insert's cost:
-- 5.2-6.5 ms of the backend per run against 2.2-2.4 ms stored EXTERNAL (still out of line in
-- TOAST, never compressed); text[] instead of jsonb saved less (4.3-4.5 ms) and cost the
-- client more to encode. Only new values change: rows written before stay compressed and read
-- as before, and runs under ~2 kB (about 50 products) were never compressed at all.
ALTER TABLE "discovery_runs" ALTER COLUMN "product_ids" SET STORAGE EXTERNAL;
