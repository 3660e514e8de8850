import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // One PostgreSQL for the run (embedded, or TEST_DATABASE_URL) and a migrated template; each
    // file copies its own database from it (test/harness.ts).
    globalSetup: ['test/support/database-cluster.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
