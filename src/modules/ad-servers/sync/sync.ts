import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineJob } from '../../../platform/jobs/index.js';
import { AdServerError, inventoryKinds } from '../adapters/port.js';
import type { AdServerContext, ConnectionRow } from '../context.js';
import { updateConnection } from '../connections/connections-store.js';
import { defaultFullEveryHours, planRun } from './plan.js';
import {
  analyzeAfterObjects,
  analyzeInventory,
  retireUnseen,
  upsertPage,
} from './inventory-store.js';
import {
  advanceCursor,
  findRun,
  insertRunUnlessRunning,
  runningRun,
  updateRun,
  type NewSyncRun,
  type SyncCursor,
  type SyncRunRow,
} from './runs-store.js';

/*
 * Inventory sync as a durable job: a run reads every kind page by page (advertisers, custom
 * targeting keys and values, placements, ad units), writing each page and the run's cursor
 * before reading the next, so memory holds one page and a run interrupted (a crash, a deploy, a
 * page that kept failing) resumes where it stood. A run is full, or incremental (only what the ad
 * server changed since the last completed run's high-water mark: sync/plan.ts), its mode fixed in
 * its cursor when it starts. The job is a singleton per source, and the
 * database holds at most one running run per source, so two instances never sync one source
 * at once.
 */

export const syncAttempts = 4;

/**
 * The most pages one run reads (all kinds together) unless configured: 5,000,000 objects at 500
 * a page. A run that reaches it stops `partial` (in sync-history and status), retiring nothing,
 * instead of paging an endless list until the job's timeout.
 */
export const defaultSyncMaxPages = 10_000;

export interface InventorySync {
  /**
   * Starts a sync unless one is running (full when asked, on the first run, when the adapter
   * cannot list changes, or when a full run is due; incremental otherwise); answers the run and
   * whether it was already running.
   */
  start(
    inventorySourceId: number,
    options?: { full?: boolean },
  ): Promise<{ run: SyncRunRow; already: boolean }>;
  /** Runs (or resumes) a run to its end in this process. */
  run(runId: string, attempt: number): Promise<void>;
}

/** Whether the connection's adapter lists by modification time (credentials that do not open: no). */
function incrementalCapable(ctx: AdServerContext, connection: ConnectionRow): boolean {
  try {
    return Boolean(ctx.adapterFor(connection).changes);
  } catch {
    return false;
  }
}

/** Another worker moved the run's cursor first: this one stops, writing nothing more. */
class Superseded extends Error {}

export function createInventorySync(ctx: AdServerContext): InventorySync {
  const sliceMs = (ctx.deps.syncSliceSeconds ?? 60) * 1000;
  const job = defineJob({
    name: 'ad-server.sync-inventory',
    payload: z.object({ runId: z.string().min(1) }),
    singleton: 'queued-and-running',
    retry: { limit: syncAttempts - 1, delaySeconds: 5, backoff: true },
    // A job is one slice of a run (about a minute of pages, then the next slice is queued), so a
    // slice left behind by a dead instance expires soon and the run resumes from its cursor.
    timeoutSeconds: ctx.deps.syncJobTimeoutSeconds ?? 10 * 60,
    concurrency: 1,
    handler: ({ runId }, context) => sync.run(runId, context.retryCount),
  });
  ctx.deps.jobs.define(job);

  const finish = (runId: string, fields: Partial<NewSyncRun>) =>
    updateRun(ctx.db, runId, { completedAt: ctx.now(), ...fields });

  const sync: InventorySync = {
    async start(inventorySourceId, options) {
      const running = await runningRun(ctx.db, inventorySourceId);
      if (running) return { run: running, already: true };
      const connection = await ctx.connectionOf(inventorySourceId);
      const startedAt = ctx.now();
      const cursor = await planRun({
        db: ctx.db,
        inventorySourceId,
        now: startedAt,
        full: options?.full ?? false,
        incrementalCapable: Boolean(connection && incrementalCapable(ctx, connection)),
        fullEveryHours: ctx.deps.fullSyncEveryHours ?? defaultFullEveryHours,
      });
      const run = await insertRunUnlessRunning(ctx.db, {
        id: `sync_${randomUUID()}`,
        inventorySourceId,
        syncType: 'inventory',
        status: 'running',
        startedAt,
        cursor,
      });
      if (!run) {
        const other = await runningRun(ctx.db, inventorySourceId);
        if (other) return { run: other, already: true };
        throw new Error('sync run could not be started');
      }
      await ctx.deps.jobs.send(job, { runId: run.id }, { singletonKey: String(inventorySourceId) });
      return { run, already: false };
    },

    async run(runId, attempt) {
      const run = await findRun(ctx.db, runId);
      if (!run || run.status !== 'running') return;
      const connection = await ctx.connectionOf(run.inventorySourceId);
      if (!connection || connection.provisioningStatus === 'deactivated') {
        return finish(runId, {
          status: 'failed',
          errorSummary: 'The source was deactivated',
          errorCategory: 'config',
        });
      }
      try {
        const adapter = ctx.adapterFor(connection);
        const maxPages = ctx.deps.syncMaxPages ?? defaultSyncMaxPages;
        let cursor: SyncCursor = run.cursor ?? { kind: inventoryKinds[0], after: null };
        let kindIndex = inventoryKinds.indexOf(cursor.kind as (typeof inventoryKinds)[number]);
        const sliceEnds = Date.now() + sliceMs;
        while (kindIndex >= 0 && kindIndex < inventoryKinds.length) {
          if (Date.now() > sliceEnds) {
            // The rest of the run is the next slice's (the cursor is committed).
            await ctx.deps.jobs.send(
              job,
              { runId },
              { singletonKey: String(run.inventorySourceId) },
            );
            return;
          }
          const pages = cursor.pages ?? 0;
          if (pages >= maxPages) {
            return await finish(runId, {
              status: 'partial',
              errorSummary: `The sync stopped at its bound of ${maxPages} pages (INTERCHANGE_AD_SERVER_SYNC_MAX_PAGES) while reading ${cursor.kind}: objects past it were not read, and nothing was retired`,
              errorCategory: 'SYNC_PAGE_BOUND',
            });
          }
          const kind = inventoryKinds[kindIndex]!;
          const changes = cursor.mode === 'incremental' && cursor.since ? adapter.changes : null;
          const page = changes?.kinds.includes(kind)
            ? await changes.page(kind, new Date(cursor.since!), cursor.after)
            : await adapter.page(kind, cursor.after);
          if (page.after !== null && page.after === cursor.after) {
            throw new AdServerError(
              'ADAPTER_REFUSED',
              `The ad server answered the ${kind} page after ${cursor.after} with the same cursor`,
            );
          }
          const counts = {
            ...cursor.counts,
            [kind]: (cursor.counts?.[kind] ?? 0) + page.items.length,
          };
          const next: SyncCursor = page.after
            ? { ...cursor, kind, after: page.after, pages: pages + 1, counts }
            : {
                ...cursor,
                kind: inventoryKinds[kindIndex + 1] ?? 'done',
                after: null,
                pages: pages + 1,
                counts,
              };
          const from = cursor;
          await ctx.db.transaction(async (tx) => {
            await upsertPage(tx, run.inventorySourceId, runId, page.items);
            // The page counts only if the run still stands where this worker read it from: a
            // second worker on the same run (a slice retried while a slow one still ran) loses
            // here, and its page is rolled back.
            if (!(await advanceCursor(tx, runId, from, next, page.items.length))) {
              throw new Superseded();
            }
          });
          cursor = next;
          if (!page.after) kindIndex++;
        }
        // An incremental run saw only what changed: nothing unseen is retired (what was archived
        // or deactivated upstream came back with that status).
        const retired =
          cursor.mode === 'incremental'
            ? 0
            : await retireUnseen(ctx.db, run.inventorySourceId, runId);
        await finish(runId, { status: 'completed', cursor: { ...cursor, retired } });
        const written = Object.values(cursor.counts ?? {}).reduce((sum, n) => sum + n, 0);
        if (written + retired >= analyzeAfterObjects) await analyzeInventory(ctx.db);
        await updateConnection(ctx.db, run.inventorySourceId, { updatedAt: ctx.now() });
      } catch (error) {
        if (error instanceof Superseded) return;
        const known = error instanceof AdServerError ? error : undefined;
        // A retryable failure is the job's to retry (resuming from the cursor) until its attempts run out.
        if ((!known || known.retryable) && attempt < syncAttempts - 1) throw error;
        ctx.deps.onError?.(error, `ad-server sync ${runId}`);
        await finish(runId, {
          status: 'failed',
          errorSummary: known?.message ?? 'The sync failed unexpectedly',
          errorCategory: known?.code ?? 'INTERNAL_ERROR',
        });
      }
    },
  };
  return sync;
}
