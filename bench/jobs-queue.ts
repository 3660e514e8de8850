import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../src/config.js';
import { createJobQueue, defineJob } from '../src/platform/jobs/index.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openTestDatabase } from '../test/harness.js';

/**
 * Jobs per second through the background queue (src/jobs, pg-boss 10): N jobs sent one after
 * another (each send a durable insert) while one instance's workers run them with a no-op
 * handler (fetch, run, complete: two more round trips per job). Baseline in the same run: N plain
 * one-row inserts through the same connection(s), the least a durable job can cost.
 *
 *   PG_URL=postgres://… npx tsx bench/jobs-queue.ts [--jobs 2000] [--concurrency 4]
 *   npx tsx bench/jobs-queue.ts            # the embedded PostgreSQL (memory)
 */
const { values: args } = parseArgs({
  options: {
    jobs: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '4' },
  },
});
const count = Number(args.jobs);
if (process.env.PG_URL && !process.env.TEST_DATABASE_URL) {
  process.env.TEST_DATABASE_URL = process.env.PG_URL;
}

const { database, drop } = await openTestDatabase();
try {
  await migrate(database.db);
  const q = database.queryable;
  await q.query('create table bench_baseline (id serial primary key, data jsonb not null)');
  let started = performance.now();
  for (let n = 0; n < count; n++) {
    await q.query('insert into bench_baseline (data) values ($1)', [JSON.stringify({ n })]);
  }
  const baselineMs = performance.now() - started;

  let done = 0;
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (allDone = resolve));
  const type = defineJob({
    name: 'bench',
    payload: z.object({ n: z.number().int() }),
    handler: async () => {
      if (++done === count) allDone();
    },
  });
  const config = loadConfig({
    INTERCHANGE_JOBS_CONCURRENCY: args.concurrency,
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
  });
  const queue = createJobQueue({ database, config: config.jobs });
  queue.define(type);
  await queue.start();
  // The workers run while the jobs arrive, as in production: "send" is the sender's pace with
  // them competing for the database, "send and run" ends when the last job completes.
  started = performance.now();
  for (let n = 0; n < count; n++) await queue.send(type, { n });
  const sendMs = performance.now() - started;
  await finished;
  const drainMs = performance.now() - started;
  await queue.stop();

  const rate = (ms: number) => Math.round((count / ms) * 1000);
  console.log(`${database.kind}, ${count} jobs, concurrency ${args.concurrency}`);
  console.log('| step | jobs/s | ratio to baseline |');
  console.log('| --- | ---: | ---: |');
  console.log(`| baseline: plain insert | ${rate(baselineMs)} | 1.00 |`);
  console.log(`| send | ${rate(sendMs)} | ${(baselineMs / sendMs).toFixed(2)} |`);
  console.log(
    `| send and run (until the last completes) | ${rate(drainMs)} | ${(baselineMs / drainMs).toFixed(2)} |`,
  );
} finally {
  await database.close();
  await drop();
}
