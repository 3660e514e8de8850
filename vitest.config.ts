import { defineConfig } from 'vitest/config';
import { DurationSequencer } from './test/support/duration-sequencer.js';
import { testWorkers } from './test/support/workers.js';

/**
 * Files that replace modules with vi.mock need a module registry of their own; every other file
 * shares its worker's (isolate: false), which spares each file re-importing the whole app (about
 * 3 s a file, a quarter of the suite's time). Test files must therefore leave no global state
 * behind them: no patched globals, no changed process.env that outlives the file.
 * precompiled-validators.test.ts swaps the validators @adcp/sdk's loader hands out, as a built
 * server does at start, which must not outlive the file either.
 */
const ownModules = [
  'test/agents/webhook-ssrf.test.ts',
  'test/agents/precompiled-validators.test.ts',
];

export default defineConfig({
  test: {
    // One PostgreSQL for the run (embedded, or TEST_DATABASE_URL) and a migrated template; each
    // file copies its own database from it (test/harness.ts).
    globalSetup: ['test/support/database-cluster.ts', 'test/support/browser-setup.ts'],
    pool: 'forks',
    maxWorkers: testWorkers,
    // The slowest files first (test/durations.json): a clean clone has no duration cache.
    sequence: { sequencer: DurationSequencer },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared-modules',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ownModules,
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'own-modules', include: ownModules, isolate: true },
      },
    ],
  },
});
