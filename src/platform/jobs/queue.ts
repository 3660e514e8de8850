import { sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { Database } from '../db/database.js';
import { rowsOf } from '../db/migrate.js';
import { bossDbOf } from './boss-db.js';
import { holdLease } from './lease.js';
import {
  deadLetterQueueOf,
  defaultRetry,
  defaultTimeoutSeconds,
  type JobType,
} from './job-type.js';

export interface SendOptions {
  /** With a singleton job type: a job already waiting under this key makes the send a no-op. */
  singletonKey?: string;
  /** Not run before this many seconds from now. */
  delaySeconds?: number;
}

export interface DeadLetter {
  id: string;
  payload: unknown;
  createdOn: Date;
}

/**
 * The background job queue: pg-boss over the app's PostgreSQL pool. Job types
 * are defined before start; start migrates pg-boss's schema (under pg-boss's own advisory lock)
 * and starts this instance's workers; every instance over one database shares the work.
 */
export interface JobQueue {
  define<Payload>(type: JobType<Payload>): void;
  /** Queues a job; answers its id, or null when the singleton key already has one waiting. */
  send<Payload>(
    type: JobType<Payload>,
    payload: Payload,
    options?: SendOptions,
  ): Promise<string | null>;
  /**
   * Brings a job waiting under `singletonKey` forward to now (its delay cut short: what it waits
   * for happened) and wakes a worker; answers whether one was waiting.
   */
  hurry<Payload>(type: JobType<Payload>, singletonKey: string): Promise<boolean>;
  start(): Promise<void>;
  /**
   * Creates pg-boss's schema and every defined type's queue, then lets go without working any
   * (`interchange migrate`, and the test suite's template database), so a start on that database
   * finds them made. The queue is stopped afterwards.
   */
  prepare(): Promise<void>;
  /** Whether jobs may be sent now (started, not stopped). */
  isStarted(): boolean;
  /** Stops fetching, waits for running handlers (up to the shutdown timeout), then lets go. */
  stop(): Promise<void>;
  /** Jobs of a type whose retries were spent, oldest first. */
  deadLetters<Payload>(type: JobType<Payload>, limit?: number): Promise<DeadLetter[]>;
}

/** The background job queue (src/jobs): how this instance works it. */
export interface JobsConfig {
  /** Handlers of one job type running at once on this instance. */
  concurrency: number;
  /** How often an idle worker asks the queue for work. */
  pollIntervalSeconds: number;
  /** How often expired jobs (an instance died mid-job) are failed into retry, and old ones purged. */
  maintenanceIntervalSeconds: number;
  /** How long a running job holds its key past its last renewal (lease.ts); 60 when unset. */
  leaseSeconds?: number;
  /** On shutdown, how long running handlers get to finish before their jobs are failed for retry. */
  shutdownTimeoutMs: number;
}

export interface JobQueueOptions {
  database: Database;
  config: JobsConfig;
  /** Told of every failed run (the job will be retried or dead-lettered) and queue errors. */
  onError?: (error: unknown, context: string) => void;
}

export const bossSchema = 'pgboss';
// Beside platform/db/migrate.ts's 7263001.
const queueCreationLock = 7263002;
/** How much less often a type's second and later workers poll than its first (queue.ts work). */
const siblingPollFactor = 15;

export function createJobQueue(options: JobQueueOptions): JobQueue {
  const { database, config } = options;
  const onError = options.onError ?? (() => undefined);
  const types = new Map<string, JobType<unknown>>();
  // This instance's pg-boss worker ids per job type; a send wakes one of them, in turn.
  const workers = new Map<string, string[]>();
  // The leases of the handlers running here, released on stop (lease.ts).
  const leases = new Set<{ release(): void }>();
  let turn = 0;
  const wakeOne = (name: string) => {
    const ids = workers.get(name) ?? [];
    const id = ids[turn++ % Math.max(ids.length, 1)];
    if (id) boss.notifyWorker(id);
  };
  let state: 'idle' | 'starting' | 'started' | 'stopped' = 'idle';
  let starting: Promise<void> | undefined;
  // After stop, a handler that outlived the shutdown timeout still reports its result; its job
  // was already failed for retry, so pg-boss's late calls are answered empty instead of
  // reaching a database that may be closed. Its complete/fail/cancel commands end in
  // `SELECT COUNT(*)` and read rows[0].count: they are answered a count of 0 (an empty answer
  // made that read throw, an unhandled rejection inside pg-boss's worker).
  const bossDb = bossDbOf(database);
  const emptyAnswer = (text: string) =>
    /select count\(\*\)/i.test(text) ? { rows: [{ count: '0' }] } : { rows: [] };
  const db: PgBoss.Db = {
    executeSql: (text, values) =>
      state === 'stopped' ? Promise.resolve(emptyAnswer(text)) : bossDb.executeSql(text, values),
  };
  const boss = new PgBoss({
    db,
    schema: bossSchema,
    migrate: true,
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: config.maintenanceIntervalSeconds,
    pollingIntervalSeconds: config.pollIntervalSeconds,
  });
  boss.on('error', (error) => onError(error, 'job queue'));

  /** The queues the defined types need: each type's own, and its dead letters' before it. */
  const queuesOfTypes = (): PgBoss.Queue[] =>
    [...types.values()].flatMap((type) => {
      const retry = type.retry ?? defaultRetry;
      const deadLetter = deadLetterQueueOf(type.name);
      return [
        { name: deadLetter, policy: 'standard' as const, retryLimit: 0 },
        {
          name: type.name,
          policy: policyOf(type),
          retryLimit: retry.limit,
          retryDelay: retry.delaySeconds,
          retryBackoff: retry.backoff,
          expireInSeconds: type.timeoutSeconds ?? defaultTimeoutSeconds,
          deadLetter,
        },
      ];
    });

  /**
   * Creates the queues no instance made yet and applies settings a deploy changed, in one pass:
   * one read of every queue, the missing ones created together, and a settings write only where
   * the stored ones differ. A first start creates about 60 queues (each a partition of pg-boss's
   * job table); queue by queue, with a lock, a read and a write each, that took seconds.
   */
  const ensureQueues = async () => {
    const wanted = queuesOfTypes();
    const stored = new Map((await boss.getQueues()).map((q) => [q.name, q]));
    if (wanted.some((q) => !stored.has(q.name))) {
      // pg-boss's create_queue adds a partition to the job table; two instances creating queues
      // at once deadlock on PostgreSQL (seen in test/jobs), so creation is serialized here.
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${queueCreationLock})`);
        const found = await tx.execute(sql`select name from ${sql.raw(bossSchema)}.queue`);
        const made = new Set(rowsOf<{ name: string }>(found).map((r) => r.name));
        for (const queue of wanted) {
          if (made.has(queue.name)) continue;
          const options = JSON.stringify({ policy: queue.policy ?? 'standard' });
          await tx.execute(
            sql`select ${sql.raw(bossSchema)}.create_queue(${queue.name}, ${options}::json)`,
          );
        }
      });
    }
    // Settings through pg-boss's own validation, so a deploy that changes them applies them.
    for (const queue of wanted) {
      const before = stored.get(queue.name);
      if (!before || settingsDiffer(before, queue)) await boss.updateQueue(queue.name, queue);
    }
  };

  const work = async (type: JobType<unknown>) => {
    const timeoutSeconds = type.timeoutSeconds ?? defaultTimeoutSeconds;
    const ids: string[] = [];
    workers.set(type.name, ids);
    const run = async (job: PgBoss.JobWithMetadata) => {
      // Held only while this instance lives: a killed one's job is retried within a lease.
      const lease = holdLease(db, bossSchema, job, {
        leaseSeconds: config.leaseSeconds ?? 60,
        timeoutSeconds,
        onError: (error) => onError(error, `job ${type.name} ${job.id} lease`),
      });
      leases.add(lease);
      try {
        await lease.held;
        const payload = type.payload.parse(job.data);
        await type.handler(payload, { id: job.id, retryCount: job.retryCount });
      } catch (error) {
        onError(error, `job ${type.name} ${job.id} (retry ${job.retryCount})`);
        throw error;
      } finally {
        lease.release();
        leases.delete(lease);
      }
    };
    // One worker per type polls at the configured interval; its siblings poll seldom and are
    // woken in a chain when a worker finds a job, so an idle instance asks PostgreSQL once per
    // type per interval instead of once per worker (bench/README.md, fleet load: the idle polls
    // were most of PostgreSQL's active time), and a backlog still drains at full concurrency.
    const concurrency = type.concurrency ?? config.concurrency;
    for (let i = 0; i < concurrency; i++) {
      const self: { id?: string } = {};
      const pollingIntervalSeconds =
        i === 0 ? config.pollIntervalSeconds : config.pollIntervalSeconds * siblingPollFactor;
      const id = await boss.work(
        type.name,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds },
        async ([job]: PgBoss.JobWithMetadata[]) => {
          if (!job) return;
          // pg-boss waits a poll interval after every fetch; a worker that found a job asks
          // again at once instead, and wakes the next sibling, so a backlog drains at the
          // handlers' pace, not the poll's.
          if (self.id) boss.notifyWorker(self.id);
          const sibling = ids[(i + 1) % ids.length];
          if (sibling && sibling !== self.id) boss.notifyWorker(sibling);
          await run(job);
        },
      );
      self.id = id;
      ids.push(id);
    }
  };

  return {
    define: (type) => {
      if (state !== 'idle')
        throw new Error(`job type ${type.name} defined after the queue started`);
      if (types.has(type.name)) throw new Error(`job type ${type.name} defined twice`);
      types.set(type.name, type as JobType<unknown>);
    },
    send: async (type, payload, sendOptions = {}) => {
      if (state !== 'started') throw new Error(`job ${type.name} sent while the queue is ${state}`);
      if (!types.has(type.name)) throw new Error(`job type ${type.name} is not defined`);
      const data = type.payload.parse(payload) as object;
      const id = await boss.send(type.name, data, {
        ...(sendOptions.singletonKey !== undefined && { singletonKey: sendOptions.singletonKey }),
        ...(sendOptions.delaySeconds !== undefined && { startAfter: sendOptions.delaySeconds }),
      });
      // Workers of other instances find it at their next poll.
      if (id && !sendOptions.delaySeconds) wakeOne(type.name);
      return id;
    },
    hurry: async (type, singletonKey) => {
      if (state !== 'started') return false;
      const { rows } = await database.queryable.query(
        `update ${bossSchema}.job set start_after = now()
          where name = $1 and singleton_key = $2 and state = 'created' and start_after > now()
          returning id`,
        [type.name, singletonKey],
      );
      if (rows.length > 0) wakeOne(type.name);
      return rows.length > 0;
    },
    isStarted: () => state === 'started',
    prepare: async () => {
      if (state !== 'idle')
        throw new Error(`the job queue is ${state}: prepare comes before start`);
      await boss.start();
      try {
        await ensureQueues();
      } finally {
        await boss.stop({ graceful: false, close: false, wait: true });
        state = 'stopped';
      }
    },
    start: () => {
      starting ??= (async () => {
        state = 'starting';
        await boss.start();
        await ensureQueues();
        for (const type of types.values()) await work(type);
        state = 'started';
      })();
      return starting;
    },
    stop: async () => {
      if (state === 'idle' || state === 'stopped') return;
      await starting?.catch(() => undefined);
      await boss.stop({
        graceful: true,
        wait: true,
        close: false,
        timeout: config.shutdownTimeoutMs,
      });
      // A handler still running past the shutdown timeout has had its job failed for retry:
      // it holds nothing any more, so its lease stops renewing (against a closing database).
      for (const lease of leases) lease.release();
      leases.clear();
      state = 'stopped';
    },
    deadLetters: async (type, limit = 100) => {
      const { rows } = await database.queryable.query(
        `select id, data, created_on from ${bossSchema}.job where name = $1
          order by created_on, id limit $2`,
        [deadLetterQueueOf(type.name), limit],
      );
      return rows.map((r) => ({
        id: String(r.id),
        payload: r.data,
        createdOn: new Date(r.created_on as string | Date),
      }));
    },
  };
}

/** Whether a stored queue's settings differ from those its type asks for. */
function settingsDiffer(stored: PgBoss.Queue, wanted: PgBoss.Queue): boolean {
  const keys = [
    'policy',
    'retryLimit',
    'retryDelay',
    'retryBackoff',
    'expireInSeconds',
    'deadLetter',
  ] as const;
  return keys.some((key) => wanted[key] !== undefined && stored[key] !== wanted[key]);
}

function policyOf(type: JobType<unknown>): PgBoss.QueuePolicy {
  if (type.singleton === 'queued') return 'short';
  if (type.singleton === 'queued-and-running') return 'stately';
  return 'standard';
}
