import type { Db } from '../../platform/db/database.js';
import * as store from './store.js';
import type { NewDiscoveryRun } from './store.js';
import type { PackagedComponentRecord } from './tables.js';

export type { DiscoveryRunRow, NewDiscoveryRun } from './store.js';
export type DiscoveryRunsService = ReturnType<typeof createDiscoveryRunsService>;

/** Rows per insert: a burst is written in a few statements, each a bounded size. */
const maxBatch = 200;

/**
 * Records what buyers asked storefront agents for and what they were shown.
 *
 * `record` is a group commit: the run joins a queue, and one writer at a time inserts
 * everything queued in one statement, so while an insert is in flight the runs of every other
 * answer gather for the next one (a busy instance writes many runs per statement and per
 * commit). The promise `record` returns settles once the run is committed, and the storefront
 * agent awaits it before it answers (composition.ts): a crash of the instance after an answer
 * has gone out (SIGKILL, OOM) loses no run it showed. (A crash of the whole machine may still
 * lose the last commits of the embedded cluster, which runs with synchronous_commit off.) What
 * it costs the answer is one insert's round trip, shared with the runs of concurrent answers;
 * batches are what gathered while the last insert was in flight, not over a fixed 25 ms, so
 * they are smaller at low concurrency.
 * - reads here (`latestShowing`, `packagesShown`) first wait for every queued run, so this
 *   instance always sees its own runs, even those of answers still being written;
 * - `flush()` (services.close(), on SIGTERM) writes everything queued before the database
 *   closes;
 * - a failed insert is retried row by row, and a run that still cannot be written is reported
 *   to `onLost` with its content (logged at error level), never dropped silently.
 */
/**
 * How long a price shown binds: a buy within a week of the answer books what it showed; later,
 * the package is priced again as get_products would price it now (docs/buying.md).
 */
export const quoteHoldsMs = 7 * 86_400_000;

/** How far back hosted discoveryPerformance looks. */
export const discoveryPerformanceWindowMs = 30 * 86_400_000;

export function createDiscoveryRunsService(deps: {
  db: Db;
  onLost?: (error: unknown, runs: NewDiscoveryRun[]) => void;
}) {
  const { db } = deps;
  let queue: Array<{ run: NewDiscoveryRun; done: Deferred }> = [];
  let writing: Promise<void> | undefined;

  const insert = store.preparedRunInsert(db);

  async function writeBatch(batch: Array<{ run: NewDiscoveryRun; done: Deferred }>) {
    try {
      const ids = await insert(batch.map((entry) => entry.run));
      batch.forEach((entry, i) => entry.done.resolve(ids[i]!));
      return;
    } catch {
      // One unwritable row must not take the others with it: retry them one by one.
    }
    for (const entry of batch) {
      try {
        const [id] = await insert([entry.run]);
        entry.done.resolve(id!);
      } catch (error) {
        deps.onLost?.(error, [entry.run]);
        entry.done.reject(error);
      }
    }
  }

  /** Writes the queue until it is empty; one writer at a time. */
  function drain(): Promise<void> {
    writing ??= (async () => {
      // One turn of the event loop: answers finishing in the same turn share the first insert.
      await new Promise((resolve) => setImmediate(resolve));
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        await writeBatch(batch);
      }
    })().finally(() => {
      writing = undefined;
      // A run queued between the loop's last check and here starts the next writer.
      if (queue.length > 0) void drain();
    });
    return writing;
  }

  /** Resolves once every run recorded so far is written (or reported lost). */
  async function flush(): Promise<void> {
    while (queue.length > 0 || writing) await drain();
  }

  /**
   * How a storefront answered buyer discovery since `since` (hosted discoveryPerformance): runs,
   * runs where every source answered, and response times. A storefront agent answers within its
   * source budget by leaving slow sources out, so no run misses the caller's deadline
   * (timeoutCount 0); a source that timed out makes its run unsuccessful instead.
   */
  async function performanceOf(storefrontId: number, since: Date) {
    await flush();
    const { row, last } = await store.performanceSince(db, storefrontId, since);
    return {
      sampleCount: row?.samples ?? 0,
      successCount: row?.successes ?? 0,
      timeoutCount: 0,
      avgResponseTimeMs: row?.avg ?? null,
      maxResponseTimeMs: row?.max ?? null,
      lastResponseTimeMs: last?.durationMs ?? null,
      lastDiscoveryAt: last ? last.createdAt.toISOString() : null,
    };
  }

  return {
    /**
     * Queues a run (its `createdAt` is now) and returns at once; the promise settles with the
     * run's id when it is committed, rejecting if it could not be (then reported to `onLost`).
     */
    record(run: NewDiscoveryRun): Promise<number> {
      const done = deferred();
      queue.push({ run: { createdAt: new Date(), ...run }, done });
      void drain();
      return done.promise;
    },

    flush,

    /**
     * The buyer's latest run on the storefront that showed any of `productIds`: the run a media
     * buy on those products came from. Null when none did (the buyer had ids from elsewhere).
     */
    async latestShowing(
      storefrontId: number,
      customerId: number,
      productIds: string[],
    ): Promise<number | null> {
      if (productIds.length === 0) return null;
      await flush();
      return (await store.latestRunShowing(db, storefrontId, customerId, productIds)) ?? null;
    },

    performanceOf,

    /**
     * The quotes the buyer was last shown for each of `productIds` on the storefront, within
     * `quoteHoldsMs` of now (a product shown only longer ago, or never, is absent): what a buy
     * of it books (agents/merchandising/buys/describe/quote.ts).
     */
    async quotesShown(
      storefrontId: number,
      customerId: number,
      productIds: string[],
      brandDomain: string | null,
      now = Date.now(),
    ): Promise<Map<string, store.ShownQuote>> {
      if (productIds.length === 0) return new Map();
      await flush();
      const since = new Date(now - quoteHoldsMs);
      const shown = await store.latestQuotesShowing(
        db,
        storefrontId,
        customerId,
        productIds,
        since,
        brandDomain,
      );
      return new Map(shown.map((quote) => [quote.productId, quote]));
    },

    /** Hosted discoveryPerformance: the storefront's buyer discovery over the last 30 days. */
    recentPerformanceOf: (storefrontId: number, now = Date.now()) =>
      performanceOf(storefrontId, new Date(now - discoveryPerformanceWindowMs)),

    /**
     * The components of packaged products as the buyer was last shown them (latest run showing
     * each), keyed by the packaged product id; ids never shown as packages are absent.
     */
    async packagesShown(
      storefrontId: number,
      customerId: number,
      productIds: string[],
    ): Promise<Record<string, PackagedComponentRecord[]>> {
      if (productIds.length === 0) return {};
      await flush();
      const maps = await store.latestPackagesShowing(db, storefrontId, customerId, productIds);
      const found: Record<string, PackagedComponentRecord[]> = {};
      for (const packages of maps) {
        for (const id of productIds) found[id] ??= packages[id]!;
      }
      for (const id of Object.keys(found)) if (!found[id]) delete found[id];
      return found;
    },
  };
}

interface Deferred {
  promise: Promise<number>;
  resolve(id: number): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: (id: number) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<number>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // Nobody has to wait for a run: an unobserved failure is already reported through onLost.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
