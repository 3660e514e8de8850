import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import type { SourceRow, StoredSourceRow } from '../../inventory-sources/index.js';
import type { ComplianceScheduler } from '../deps.js';
import * as store from '../store.js';
import { storyboardsFor } from '../storyboards.js';

/** Sources a run applies to: connected (an endpoint), not disabled, not deleted. */
export const testable = (row: StoredSourceRow): row is SourceRow =>
  row.endpointUrl !== null && row.agentId !== null && row.status !== 'DISABLED';

export type RunQueue = ReturnType<typeof createRunQueue>;

/** Queueing compliance runs: the run's row, then its job (when the queue is running). */
export function createRunQueue(deps: {
  db: Db;
  scheduler: () => ComplianceScheduler | undefined;
  onError: (error: unknown, context: string) => void;
  /** Whether a run of the source may book (source-settings.ts). */
  bookingsAllowedFor: (row: SourceRow) => Promise<boolean>;
}) {
  const { db, onError } = deps;

  /** Queues a run of `row` (or answers the one already waiting) and hands it to the queue. */
  async function queue(
    row: SourceRow,
    trigger: 'registration' | 'refresh' | 'schedule',
    options: { requestedBy?: number | null; buyerCustomerId?: number; customerId: number },
  ): Promise<store.RunRow> {
    const { run, queued } = await store.queueRun(db, {
      runUid: randomUUID(),
      customerId: options.customerId,
      storefrontId: row.storefrontId,
      inventorySourceId: row.id,
      sourceId: row.sourceId,
      agentId: row.agentId,
      agentUrl: row.endpointUrl,
      protocol: row.protocol,
      trigger,
      buyerCustomerId: options.buyerCustomerId ?? null,
      requestedBy: options.requestedBy ?? null,
      status: 'queued',
      // What it plans to play; the run plays what applies when it starts (runs/execution.ts).
      storyboards: storyboardsFor(row.capabilities, {
        bookings: await deps.bookingsAllowedFor(row),
      }),
    });
    if (queued) await enqueue(run.id);
    return run;
  }

  async function enqueue(runId: number) {
    const scheduler = deps.scheduler();
    // A queue not running (a CLI command, a test without workers) leaves the run queued; the
    // next sweep hands it over.
    if (!scheduler) return;
    await scheduler
      .enqueue(runId)
      .catch((error: unknown) => onError(error, `queueing run ${runId}`));
  }

  return { queue, enqueue };
}
