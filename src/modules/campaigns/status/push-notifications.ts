import { AppError, invalid, unauthenticated } from '../../../platform/errors.js';
import { isRecord } from '../../../platform/is-record.js';
import type { CampaignsContext } from '../context.js';
import { followChanged, type FollowUpDeps } from './follow-up.js';
import type { createStatusSync, FollowedTask } from './sync.js';
import type { PushRequest } from './sync-port.js';
import * as syncStore from './sync-store.js';

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

// One answer for an unknown buy and a notification that fails verification: the URL's buy id
// is no secret, and nothing tells a forger whether it named a real one.
const refused = (why: string) => unauthenticated(`The notification was not accepted: ${why}`);

/**
 * AdCP push notifications about a buyer's media buys (issue 14 item 4), received at
 * /api/v2/buyer/webhooks/adcp/media-buys/{mediaBuyId}: verified as signed by the buy's agent
 * (RFC 9421, its JWKS; a replay is refused), bound to the buy (its seller task or media buy id),
 * then applied at once through the same path status sync takes.
 */
export function createPushReceiver(
  ctx: CampaignsContext,
  sync: Pick<ReturnType<typeof createStatusSync>, 'applyTaskOutcome' | 'tasksOf'>,
) {
  const { db, deps } = ctx;
  const follow: FollowUpDeps = { db, sync: deps.sync, now: deps.now ?? (() => new Date()) };

  return async function receive(mediaBuyId: string, request: PushRequest) {
    const row = await syncStore.findMediaBuyById(db, mediaBuyId);
    if (!row) throw refused('its signature did not verify');
    let verdict: Awaited<ReturnType<typeof deps.sync.verify>>;
    try {
      verdict = await deps.sync.verify(row.salesAgentId, request);
    } catch {
      // Not judged (the agent's keys out of reach): the sender retries a 503 later.
      throw new AppError('unavailable', 'The notification could not be verified now; retry later');
    }
    if (!verdict.ok) throw refused('its signature did not verify');
    let payload: unknown;
    try {
      payload = JSON.parse(request.body);
    } catch {
      throw invalid('The notification body is not JSON');
    }
    if (!isRecord(payload)) throw invalid('The notification body is not a JSON object');
    // Delivery reports (reporting webhooks) are recorded by delivery import (issue 15).
    if (payload['notification_type'] !== undefined) {
      await deps.sync.onDelivery?.(row, payload);
      return { received: true as const };
    }
    const taskId = str(payload['task_id']);
    const state = str(payload['status']);
    const result = isRecord(payload['result']) ? payload['result'] : undefined;
    const followed = await sync.tasksOf(row);
    const task: FollowedTask | undefined = followed.find((t) => t.sellerTaskId === taskId);
    const sameBuy =
      row.sellerMediaBuyId !== null && str(result?.['media_buy_id']) === row.sellerMediaBuyId;
    if (!task && !sameBuy) throw refused('it does not concern this media buy');
    if (!state) throw invalid('The notification has no task status', 'status');
    const errors = Array.isArray(result?.['errors']) ? (result['errors'] as unknown[]) : [];
    const heardAt = follow.now();
    const after = task
      ? await sync.applyTaskOutcome(row, task, {
          state,
          result,
          error: isRecord(errors[0]) ? errors[0] : undefined,
          heardAt,
        })
      : row;
    // Told something changed at the seller: look again soon (the change's details, packages).
    await followChanged(follow, after);
    await syncStore.scheduleLook(db, after.id, { syncedAt: heardAt });
    return { received: true as const };
  };
}
