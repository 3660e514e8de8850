import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { finalStatuses } from './statuses.js';
import type { MediaBuyRow, NewMediaBuy } from '../store.js';
import * as store from '../store.js';
import type { StatusSyncPort } from './sync-port.js';
import * as syncStore from './sync-store.js';
import type { BuyerTaskStatus } from '../tables.js';

/**
 * How placed buys are followed after a seller answered: the buyer's task for an operation the
 * seller did not settle at once, and when status sync looks at the buy next (backoff: the
 * port's minSeconds after a change, doubling per look that learned nothing, up to maxSeconds).
 */
export interface FollowUpDeps {
  db: Db;
  sync: StatusSyncPort;
  now: () => Date;
}

/** The hosted task state of an AdCP task state (rejected/canceled tasks failed, for the buyer). */
export function taskStatusOf(state: string): BuyerTaskStatus {
  if (state === 'submitted' || state === 'working' || state === 'input-required') return state;
  return state === 'completed' ? 'completed' : 'failed';
}

/** Whether status sync keeps asking the seller about a buy: placed (or submitted) and not over. */
export function isFollowed(row: MediaBuyRow): boolean {
  if (finalStatuses.has(row.status) || row.status === 'DRAFT' || row.status === 'FAILED') {
    return false;
  }
  return row.sellerMediaBuyId !== null || row.taskId !== null;
}

/** Seconds before the look after `round` looks that learned nothing. */
export function delayAfter(sync: StatusSyncPort, round: number): number {
  return Math.min(sync.minSeconds * 2 ** round, sync.maxSeconds);
}

/** The sync columns of a buy that just changed: looked at again soon. */
export function lookSoon(deps: FollowUpDeps): Pick<NewMediaBuy, 'syncDueAt' | 'syncRound'> {
  return {
    syncDueAt: new Date(deps.now().getTime() + deps.sync.minSeconds * 1000),
    syncRound: 0,
  };
}

/** After a buy changed at our hands (placed, paused, resumed): its next look soon, and a wake-up. */
export async function followChanged(deps: FollowUpDeps, row: MediaBuyRow): Promise<void> {
  if (!isFollowed(row)) {
    if (row.syncDueAt !== null) await syncStore.scheduleLook(deps.db, row.id, { syncDueAt: null });
    return;
  }
  await syncStore.scheduleLook(deps.db, row.id, lookSoon(deps));
  await deps.sync.wake(row.customerId, row.salesAgentId, deps.sync.minSeconds);
}

/**
 * When a buy is looked at next after a look learned `after` about `before`: a change brings it
 * back to minSeconds, nothing new doubles the wait; a buy no longer followed is let go.
 */
export function nextLook(
  deps: FollowUpDeps,
  before: MediaBuyRow,
  after: MediaBuyRow,
  heard: boolean,
): { id: string; dueAt: Date | null; round: number; heard: boolean } {
  const round = after.revision !== before.revision ? 0 : before.syncRound + 1;
  return {
    id: after.id,
    dueAt: isFollowed(after)
      ? new Date(deps.now().getTime() + delayAfter(deps.sync, round) * 1000)
      : null,
    round,
    heard,
  };
}

/**
 * Records the buyer's task for a seller operation answered as a task of the seller's
 * (submitted/working/input-required), and points the buy at it.
 */
export async function openTask(
  deps: FollowUpDeps,
  row: MediaBuyRow,
  kind: 'media_buy_create' | 'media_buy_update',
  seller: { state: string; taskId: string | undefined },
): Promise<MediaBuyRow> {
  const id = randomUUID();
  await syncStore.insertTask(deps.db, {
    id,
    customerId: row.customerId,
    mediaBuyId: row.id,
    taskType: kind,
    status: taskStatusOf(seller.state),
    sellerTaskId: seller.taskId ?? null,
  });
  return store.updateMediaBuy(deps.db, row.id, { buyerTaskId: id });
}

/** Settles the buy's open tasks following `sellerTaskId` (every open one when it is unknown). */
export async function settleTasks(
  db: Db,
  mediaBuyId: string,
  sellerTaskId: string | undefined,
  outcome: {
    state: string;
    response?: Record<string, unknown> | undefined;
    error?: Record<string, unknown> | undefined;
  },
): Promise<void> {
  const open = await syncStore.openTasksOf(db, [mediaBuyId]);
  const status = taskStatusOf(outcome.state);
  for (const task of open) {
    if (sellerTaskId !== undefined && task.sellerTaskId !== sellerTaskId) continue;
    // A look that hears "still submitted" changes nothing (not even updatedAt).
    if (task.status === status && !outcome.response && !outcome.error) continue;
    await syncStore.updateTask(db, task.id, {
      status,
      ...(outcome.response && { response: outcome.response }),
      ...(outcome.error && { error: outcome.error }),
    });
  }
}
