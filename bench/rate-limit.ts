/**
 * `npx tsx bench/rate-limit.ts [--n 20000]`: what counting a request in the fleet's shared
 * budget (src/modules/rate-limits, one upsert in PostgreSQL) costs against the in-process
 * counter it replaced, in the same run: sequential hits on one key, then 32 concurrent hits at a
 * time over 100 keys and over one hot key (every request of one busy client).
 * PG_URL's PostgreSQL, or the embedded one (memory). Figures: bench/README.md.
 */
import { parseArgs } from 'node:util';
import { createDatabaseRateStore } from '../src/modules/rate-limits/index.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrate } from '../src/platform/db/migrate.js';
import { createMemoryRateStore, type RateStore } from '../src/platform/guard/rate-limit.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '20000' } } });
const n = Number(values.n);
const database = await openDatabase({
  databaseUrl: process.env.PG_URL || undefined,
  dataDir: 'memory',
});
await migrate(database.db);

async function run(store: RateStore, concurrency: number, keys: number) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        await store.hit(`key:${i % keys}`, 1_000_000_000);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: Math.round(n / seconds), microsPerHit: Math.round((seconds / n) * 1e6) };
}

const stores = {
  memory: createMemoryRateStore(),
  postgres: createDatabaseRateStore(database.queryable),
};
// The floor: a `select 1` round trip on the same pool, as a RateStore.
const roundTrip: RateStore = {
  hit: async (_bucket, limit) => {
    await database.queryable.query('select 1');
    return { allowed: true, limit, remaining: limit, resetIn: 60 };
  },
};
for (const [label, concurrency, keys] of [
  ['sequential, 1 key', 1, 1],
  ['32 concurrent, 100 keys', 32, 100],
  ['32 concurrent, 1 hot key', 32, 1],
] as const) {
  await run(stores.postgres, concurrency, keys); // warm-up
  const memory = await run(stores.memory, concurrency, keys);
  const floor = await run(roundTrip, concurrency, keys);
  const postgres = await run(stores.postgres, concurrency, keys);
  process.stdout.write(
    `${label}: memory ${memory.perSecond}/s (${memory.microsPerHit} µs), ` +
      `select 1 ${floor.perSecond}/s (${floor.microsPerHit} µs), ` +
      `postgres store ${postgres.perSecond}/s (${postgres.microsPerHit} µs per hit)\n`,
  );
}
await database.close();
