import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { createJobQueue, defineJob, type JobQueue } from '../../src/platform/jobs/index.js';
import type { Database } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { openTestDatabase } from '../harness.js';

/*
 * A one-running-per-key job (delivery import, ad-server sync, compliance run, publisher
 * authorization are such types) whose instance is killed with SIGKILL mid-run is run again by
 * another instance within the bound src/platform/jobs/lease.ts states, not after the type's
 * timeout (an hour here): lease + maintenance interval + first retry delay + poll interval.
 */
const settings = {
  INTERCHANGE_JOBS_LEASE_SECONDS: '3',
  INTERCHANGE_JOBS_MAINTENANCE_INTERVAL_SECONDS: '1',
  INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
  INTERCHANGE_JOBS_SHUTDOWN_TIMEOUT_MS: '1000',
};
const config = loadConfig({ ...settings, INTERCHANGE_DATA_DIR: 'memory', INTERCHANGE_DEMO: '0' });
// 3 s lease + 1 s maintenance + 1 s retry delay + 0.5 s poll.
const boundSeconds = 3 + 1 + 1 + 0.5;
// What a loaded machine adds: the dying instance's last renewal, maintenance's own lateness.
const slackSeconds = 10;

let database: Database;
let url: string;
let drop: () => Promise<void>;
let survivor: JobQueue | undefined;
let child: ChildProcess | undefined;

beforeAll(async () => {
  ({ database, url, drop } = await openTestDatabase());
  await migrate(database.db);
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await survivor?.stop();
  await database.close();
  await drop();
});

it('a one-running-per-key job killed mid-run is finished by another instance within the lease bound', async () => {
  const name = `lease-${Date.now()}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/lease-worker.ts', url, name], {
    env: { ...process.env, ...settings },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child!.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('running')) resolve();
    });
    child!.once('exit', (code) => reject(new Error(`worker exited (${code}) before running`)));
  });
  // The job holds its key on the dying instance.
  const active = await database.queryable.query(
    `select singleton_key from pgboss.job where name = $1 and state = 'active'`,
    [name],
  );
  expect(active.rows).toEqual([{ singleton_key: 'storefront-1' }]);
  const killed = new Promise((resolve) => child!.once('exit', resolve));
  child.kill('SIGKILL');
  await killed;
  const killedAt = Date.now();

  let finished: (retryCount: number) => void;
  const done = new Promise<number>((resolve) => (finished = resolve));
  survivor = createJobQueue({ database, config: config.jobs });
  survivor.define(
    defineJob({
      name,
      payload: z.object({ n: z.number() }),
      singleton: 'queued-and-running',
      timeoutSeconds: 3600,
      retry: { limit: 3, delaySeconds: 1, backoff: false },
      handler: async (_payload, { retryCount }) => finished(retryCount),
    }),
  );
  await survivor.start();
  const retryCount = await Promise.race([
    done,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('not finished within the bound')), 60_000),
    ),
  ]);
  const seconds = (Date.now() - killedAt) / 1000;
  // The killed run's retry, not a new job: the work the dead instance held.
  expect(retryCount).toBe(1);
  expect(seconds).toBeLessThan(boundSeconds + slackSeconds);
}, 90_000);

it('a type whose timeout is within the lease keeps its own expiry: no renewal moves it later', async () => {
  const name = `short-${Date.now()}`;
  const queue = createJobQueue({ database, config: config.jobs });
  let seen: (row: { ahead: boolean; expiresWithin: boolean }) => void;
  const checked = new Promise<{ ahead: boolean; expiresWithin: boolean }>((r) => (seen = r));
  const type = defineJob({
    name,
    payload: z.object({ n: z.number() }),
    // 2 s: shorter than the 3 s lease.
    timeoutSeconds: 2,
    handler: async (_payload, { id }) => {
      const { rows } = await database.queryable.query(
        `select started_on > now() as ahead,
                started_on + expire_in <= now() + interval '2 seconds' as "expiresWithin"
           from pgboss.job where name = $1 and id = $2`,
        [name, id],
      );
      seen(rows[0] as { ahead: boolean; expiresWithin: boolean });
    },
  });
  queue.define(type);
  await queue.start();
  try {
    await queue.send(type, { n: 1 });
    // Its hold ends at its own timeout, not a lease past it.
    expect(await checked).toEqual({ ahead: false, expiresWithin: true });
  } finally {
    await queue.stop();
  }
}, 30_000);
