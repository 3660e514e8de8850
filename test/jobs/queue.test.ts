import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import PgBoss from 'pg-boss';
import { loadConfig } from '../../src/config.js';
import { bossDbOf } from '../../src/platform/jobs/boss-db.js';
import {
  createJobQueue,
  defineJob,
  type JobQueue,
  type JobType,
} from '../../src/platform/jobs/index.js';
import { createSecretBox, generateSecretKey } from '../../src/platform/crypto/secrets.js';
import { type Database, openDatabase } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { createServices } from '../../src/services.js';
import { openTestDatabase } from '../harness.js';
import { eventually } from '../support/eventually.js';

// Fast polling and maintenance so retries and expirations show within a test's time.
const env = {
  INTERCHANGE_DATA_DIR: 'memory',
  INTERCHANGE_DEMO: '0',
  INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
  INTERCHANGE_JOBS_MAINTENANCE_INTERVAL_SECONDS: '1',
  INTERCHANGE_JOBS_SHUTDOWN_TIMEOUT_MS: '1000',
  INTERCHANGE_JOBS_CONCURRENCY: '2',
};
const config = loadConfig(env);

let database: Database;
let url: string;
let drop: () => Promise<void>;
const opened: Database[] = [];
const queues: JobQueue[] = [];

beforeAll(async () => {
  ({ database, url, drop } = await openTestDatabase());
  await migrate(database.db);
});

afterAll(async () => {
  for (const q of queues) await q.stop();
  for (const d of opened) await d.close();
  await database.close();
  await drop();
});

/** A queue instance over the test database (or over a pool of its own). */
async function instance(types: JobType<{ n: number }>[], own = false): Promise<JobQueue> {
  let db = database;
  if (own) {
    db = await openDatabase({ databaseUrl: url, dataDir: 'memory', poolMax: 5 });
    opened.push(db);
  }
  const queue = createJobQueue({ database: db, config: config.jobs });
  for (const t of types) queue.define(t);
  await queue.start();
  queues.push(queue);
  return queue;
}

async function stateOf(name: string, id: string): Promise<string | undefined> {
  const { rows } = await database.queryable.query(
    'select state from pgboss.job where name = $1 and id = $2',
    [name, id],
  );
  return rows[0]?.state as string | undefined;
}

const unique = (base: string) => `${base}-${Math.random().toString(36).slice(2, 8)}`;
const payload = z.object({ n: z.number().int() });

describe('job queue', () => {
  it('starts two instances together on a fresh database: schema and queues made once', async () => {
    const type = defineJob({ name: 'twin-start', payload, handler: async () => undefined });
    await Promise.all([instance([type], true), instance([type], true)]);
    const { rows } = await database.queryable.query(
      "select name from pgboss.queue where name like 'twin-start%' order by name",
    );
    expect(rows.map((r) => r.name)).toEqual(['twin-start', 'twin-start.dead']);
  });

  it('prepare (interchange migrate) makes every queue; a start after it makes none and works jobs', async () => {
    const runs: number[] = [];
    const name = unique('prepared');
    const type = defineJob({
      name,
      payload,
      retry: { limit: 3, delaySeconds: 2, backoff: false },
      handler: async ({ n }) => void runs.push(n),
    });
    const migrating = createJobQueue({ database, config: config.jobs });
    migrating.define(type);
    await migrating.prepare();
    const madeBy = async () =>
      (
        await database.queryable.query(
          'select name, retry_limit, dead_letter, created_on from pgboss.queue where name like $1 order by name',
          [`${name}%`],
        )
      ).rows;
    const prepared = await madeBy();
    expect(prepared).toMatchObject([
      { name, retry_limit: 3, dead_letter: `${name}.dead` },
      { name: `${name}.dead`, retry_limit: 0 },
    ]);
    // The stopped queue sends nothing: prepare is not a start.
    await expect(migrating.send(type, { n: 0 })).rejects.toThrow(/stopped/);

    const serving = await instance([type]);
    expect(await madeBy()).toEqual(prepared);
    await serving.send(type, { n: 7 });
    await eventually(
      async () => runs,
      (r) => r.length === 1,
      15_000,
    );
    expect(runs).toEqual([7]);
  });

  it('a start applies a setting a deploy changed to a queue made before', async () => {
    const name = unique('changed');
    const before = defineJob({ name, payload, handler: async () => undefined });
    const made = createJobQueue({ database, config: config.jobs });
    made.define(before);
    await made.prepare();
    const after = defineJob({
      name,
      payload,
      retry: { limit: 9, delaySeconds: 1, backoff: true },
      handler: async () => undefined,
    });
    await instance([after]);
    const { rows } = await database.queryable.query(
      'select retry_limit, retry_backoff from pgboss.queue where name = $1',
      [name],
    );
    expect(rows).toEqual([{ retry_limit: 9, retry_backoff: true }]);
  });

  it('leaves the pooled connection usable when a pg-boss script fails inside its transaction', async () => {
    // A pool of one: the failed script's connection is the next query's, and an aborted
    // transaction left open on it would fail that query.
    const single = await openDatabase({ databaseUrl: url, dataDir: 'memory', poolMax: 1 });
    opened.push(single);
    await expect(
      single.script('begin; select 1; select * from no_such_table; commit;'),
    ).rejects.toThrow(/no_such_table/);
    const { rows } = await single.queryable.query('select 2 as two');
    expect(rows).toEqual([{ two: 2 }]);
  });

  it('runs a job once, with the payload it was sent', async () => {
    const runs: number[] = [];
    const type = defineJob({
      name: unique('once'),
      payload,
      handler: async ({ n }) => void runs.push(n),
    });
    const queue = await instance([type]);
    const id = await queue.send(type, { n: 7 });
    expect(id).toBeTruthy();
    await eventually(
      () => stateOf(type.name, id!),
      (state) => state === 'completed',
      20_000,
    );
    await sleep(1500); // a few polls more: nothing runs it again
    expect(runs).toEqual([7]);
  });

  it('rejects a payload its schema refuses before queueing it', async () => {
    const type = defineJob({ name: unique('strict'), payload, handler: async () => undefined });
    const queue = await instance([type]);
    await expect(queue.send(type, { n: 1.5 })).rejects.toThrow();
  });

  it('retries a failing job with growing delays, then moves it to the dead-letter queue', async () => {
    const attempts: { at: number; retryCount: number }[] = [];
    const type = defineJob({
      name: unique('flaky'),
      payload,
      retry: { limit: 2, delaySeconds: 1, backoff: true },
      handler: async (_p, { retryCount }) => {
        attempts.push({ at: Date.now(), retryCount });
        throw new Error('seller unavailable');
      },
    });
    const queue = await instance([type]);
    const id = await queue.send(type, { n: 42 });
    await eventually(
      () => stateOf(type.name, id!),
      (state) => state === 'failed',
      20_000,
    );
    expect(attempts.map((a) => a.retryCount)).toEqual([0, 1, 2]);
    // Backoff: the first retry waits 1-2 s, the second 2-4 s.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(2000);
    const dead = await queue.deadLetters(type);
    expect(dead.map((d) => d.payload)).toEqual([{ n: 42 }]);
  });

  it('admits one queued job per singleton key', async () => {
    const runs: number[] = [];
    const type = defineJob({
      name: unique('sync'),
      payload,
      singleton: 'queued',
      handler: async ({ n }) => void runs.push(n),
    });
    const queue = await instance([type]);
    const first = await queue.send(type, { n: 1 }, { singletonKey: 'buy-1', delaySeconds: 1 });
    const again = await queue.send(type, { n: 2 }, { singletonKey: 'buy-1', delaySeconds: 1 });
    const other = await queue.send(type, { n: 3 }, { singletonKey: 'buy-2', delaySeconds: 1 });
    expect(first).toBeTruthy();
    expect(again).toBeNull();
    expect(other).toBeTruthy();
    await eventually(
      async () => runs.length,
      (n) => n === 2,
      20_000,
    );
    expect(runs.sort()).toEqual([1, 3]);
    // Once it ran, the key admits a new one.
    expect(await queue.send(type, { n: 4 }, { singletonKey: 'buy-1' })).toBeTruthy();
    await eventually(
      async () => runs.length,
      (n) => n === 3,
      20_000,
    );
  });

  it('survives a restart: a job cut off by shutdown completes once on the next instance', async () => {
    const secrets = createSecretBox(generateSecretKey());
    const name = unique('import');
    const started: string[] = [];
    const completed: string[] = [];
    const never = new Promise<void>(() => undefined);
    const stuck = defineJob({
      name,
      payload,
      retry: { limit: 3, delaySeconds: 1, backoff: false },
      handler: async (_p, { id }) => {
        started.push(`first:${id}`);
        await never; // still running when the app stops
      },
    });
    const first = createServices({ config, database, secrets });
    first.jobs.define(stuck);
    await first.jobs.start();
    const id = await first.jobs.send(stuck, { n: 1 });
    await eventually(
      async () => started.length,
      (n) => n === 1,
      20_000,
    );
    await first.close(); // waits the shutdown timeout, then fails the job for retry

    const own = await openDatabase({ databaseUrl: url, dataDir: 'memory' });
    opened.push(own);
    const second = createServices({ config: loadConfig(env), database: own, secrets });
    second.jobs.define(
      defineJob({
        name,
        payload,
        retry: { limit: 3, delaySeconds: 1, backoff: false },
        handler: async (_p, { id, retryCount }) => void completed.push(`${id}:${retryCount}`),
      }),
    );
    await second.jobs.start();
    await eventually(
      () => stateOf(name, id!),
      (state) => state === 'completed',
      20_000,
    );
    await sleep(1500);
    expect(started).toEqual([`first:${id}`]);
    expect(completed).toEqual([`${id}:1`]);
    await second.close();
  });

  it('recovers a job whose instance died mid-run once it times out', async () => {
    const name = unique('crash');
    const runs: number[] = [];
    // The dead instance: a bare pg-boss that took the job (now active) and then vanished.
    // No maintenance, no schedule: it runs nothing of its own, as a dead process would not.
    const dead = new PgBoss({
      db: bossDbOf(database),
      schema: 'pgboss',
      supervise: false,
      schedule: false,
    });
    await dead.start();
    await dead.createQueue(name, { name, retryLimit: 2, retryDelay: 1, expireInSeconds: 1 });
    const id = await dead.send(name, { n: 1 });
    const taken = await dead.fetch(name);
    expect(taken.map((j) => j.id)).toEqual([id]);
    expect(await stateOf(name, id!)).toBe('active');

    const type = defineJob({
      name,
      payload,
      timeoutSeconds: 1,
      retry: { limit: 2, delaySeconds: 1, backoff: false },
      handler: async (_p, { retryCount }) => void runs.push(retryCount),
    });
    await instance([type]);
    await eventually(
      () => stateOf(name, id!),
      (state) => state === 'completed',
      20_000,
    );
    expect(runs).toEqual([1]);
    // Its object is let go without failing the job it took (already recovered above).
    await dead.stop({ graceful: false, close: false, wait: true });
  });

  it('shares the work between two instances without running any job twice', async () => {
    const name = unique('share');
    const runs = new Map<number, string[]>();
    const typeFor = (who: string) =>
      defineJob({
        name,
        payload,
        handler: async ({ n }) => {
          runs.set(n, [...(runs.get(n) ?? []), who]);
          await sleep(20);
        },
      });
    const a = await instance([typeFor('a')], true);
    const b = await instance([typeFor('b')], true);
    const total = 60;
    for (let n = 0; n < total; n++) await (n % 2 ? a : b).send(typeFor('x'), { n });
    await eventually(
      async () => runs.size,
      (n) => n === total,
      20_000,
    );
    await sleep(1500);
    expect([...runs.values()].every((who) => who.length === 1)).toBe(true);
    const by = [...runs.values()].flat();
    expect(by.filter((w) => w === 'a').length).toBeGreaterThan(0);
    expect(by.filter((w) => w === 'b').length).toBeGreaterThan(0);
  });
});
