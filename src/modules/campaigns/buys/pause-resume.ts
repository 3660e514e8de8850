import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { ToolCallResult } from '../../../upstream/index.js';
import { followChanged, openTask } from '../status/follow-up.js';
import {
  leaveToRecovery,
  noPendingWrite,
  pendingMessage,
  sendWrite,
  type WriteCallDeps,
} from './pending-writes.js';
import { reportOf, type SellerCallDeps } from './seller-calls.js';
import { finalStatuses, statusFromSeller } from '../status/statuses.js';
import * as store from '../store.js';
import type { MediaBuyRow } from '../store.js';

/** Pausing and resuming a placed buy at its seller, and a seller's update taken as a task. */

type Json = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Pauses or resumes a placed buy at its seller (update_media_buy `paused`). An accepted pause
 * is PAUSED (unless the seller reports the buy ended); an accepted resume takes the status the
 * seller reports, through the mapping table. A seller still deciding leaves the status as it was.
 */
export async function setPaused(
  deps: SellerCallDeps,
  principal: CustomerPrincipal,
  row: MediaBuyRow,
  paused: boolean,
): Promise<{ row: MediaBuyRow; error?: string }> {
  if (!row.sellerMediaBuyId) {
    return { row, error: 'The seller has not confirmed this media buy yet' };
  }
  const write = await sendWrite(deps, principal, row, {
    operation: paused ? 'pause' : 'resume',
    tool: 'update_media_buy',
    key: `${row.id}.${paused ? 'pause' : 'resume'}.${row.revision}`,
    request: { account: row.account, media_buy_id: row.sellerMediaBuyId, paused },
    expect: { operation: paused ? 'pause' : 'resume', paused },
  });
  if (!write.sent) return { row, error: write.reason };
  const { result, verdict, intent } = write;
  if (verdict.kind === 'unknown') {
    await leaveToRecovery(deps, row, intent, verdict);
    return { row, error: pendingMessage };
  }
  if (!result.ok) {
    const cleared = await store.updateMediaBuy(deps.db, row.id, noPendingWrite);
    await deps.writes.settle(intent, 'refused');
    return { row: cleared, error: result.error.message };
  }
  const updated = await recordPauseAnswer(deps, row, paused, result);
  await deps.writes.settle(intent, 'answered');
  return { row: updated };
}

/**
 * Records an accepted pause or resume: PAUSED (unless the seller reports the buy ended), or the
 * status a resumed buy reports; a seller taking it as a task leaves the status as it was.
 */
export async function recordPauseAnswer(
  deps: SellerCallDeps | WriteCallDeps,
  row: MediaBuyRow,
  paused: boolean,
  result: ToolCallResult<Json> & { ok: true },
): Promise<MediaBuyRow> {
  if (result.status !== 'completed') {
    const cleared = await store.updateMediaBuy(deps.db, row.id, noPendingWrite);
    return awaitSellerUpdate(deps, cleared, result);
  }
  const reported = str(result.data['status']);
  const mapped = reported ? statusFromSeller(reportOf(result)).status : undefined;
  // A seller that accepted a pause may still name the buy by what it waits for (AdCP keeps
  // pending_creatives over paused): accepted is paused, unless the buy has ended there.
  const status =
    mapped && (finalStatuses.has(mapped) || !paused) ? mapped : paused ? 'PAUSED' : 'ACTIVE';
  const updated = await store.updateMediaBuy(deps.db, row.id, {
    status,
    adcpStatus: reported ?? (paused ? 'paused' : 'active'),
    taskState: result.status,
    packages: row.packages.map((p) => ({ ...p, paused })),
    ...noPendingWrite,
  });
  await followChanged(deps, updated);
  return updated;
}

/**
 * An update_media_buy the seller took as a task: the buyer gets a task of ours, and status sync
 * (or the seller's push notification) tells when the change applies.
 */
export async function awaitSellerUpdate(
  deps: SellerCallDeps | WriteCallDeps,
  row: MediaBuyRow,
  result: ToolCallResult<Json> & { ok: true },
): Promise<MediaBuyRow> {
  const pending = await openTask(deps, row, 'media_buy_update', {
    state: result.status,
    taskId: result.taskId ?? str(result.data['task_id']),
  });
  await followChanged(deps, pending);
  return pending;
}
