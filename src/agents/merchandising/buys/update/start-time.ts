import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import type { MerchandisingDeps } from '../../deps.js';
import { upstreamIdempotencyKey } from '../create/forward.js';
import { targetOf, updateKind } from '../source-writes.js';

/**
 * The start an update_media_buy sends its sources. 3.1.19 allows `asap` there
 * (update-media-buy-request.json start_time is core/start-timing.json), but a source is sent a
 * date, as on create (orders' lifecycle.ts flightStartOf): the instant the first attempt under
 * this buyer key sent (its write to any of the buy's sources records the request), else now.
 * One instant for every source and every retry under the key, since a source replays a
 * repeated idempotency key only for the same request. A date is sent as the buyer gave it.
 */
export async function updateStartOf(
  deps: MerchandisingDeps,
  row: Pick<MediaBuyRow, 'storefrontId' | 'buyerCustomerId' | 'forwardResult'>,
  startTime: string | undefined,
  buyerKey: string,
): Promise<string | undefined> {
  if (startTime !== 'asap') return startTime;
  const sourceIds = [...new Set((row.forwardResult ?? []).map((leg) => leg.sourceId))];
  for (const sourceId of sourceIds) {
    const key = upstreamIdempotencyKey(row.storefrontId, row.buyerCustomerId, buyerKey, sourceId);
    const earlier = await deps.writes.findByKey(
      updateKind,
      targetOf(row.storefrontId, sourceId),
      key,
    );
    const sent = earlier?.request['start_time'];
    if (typeof sent === 'string' && sent !== 'asap') return sent;
  }
  return new Date().toISOString();
}
