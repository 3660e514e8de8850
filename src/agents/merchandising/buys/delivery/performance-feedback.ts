import { MediaBuyNotFoundError } from '@adcp/sdk/server';
import type { ProvidePerformanceFeedbackRequest } from '@adcp/sdk/types';
import { callerPrincipal } from '../../caller.js';
import type { MerchandisingDeps } from '../../deps.js';
import { forwardedBuys, perSource } from '../forwarded-buys.js';
import { upstreamIdempotencyKey } from '../create/forward.js';

/** provide_performance_feedback, passed on to every source holding a part of the buy. */
export async function providePerformanceFeedback(
  deps: MerchandisingDeps,
  request: ProvidePerformanceFeedbackRequest,
) {
  const principal = callerPrincipal();
  const [row] = await forwardedBuys(deps, [request.media_buy_id]);
  if (!row) throw new MediaBuyNotFoundError(request.media_buy_id);
  const { context: _c, ext: _e, ...rest } = request;
  await perSource(deps, [row], (port, ids, _legs, call) =>
    port.providePerformanceFeedback(
      {
        ...rest,
        media_buy_id: ids[0]!,
        idempotency_key: upstreamIdempotencyKey(
          row.storefrontId,
          principal.customerId,
          request.idempotency_key,
          port.source.sourceId,
        ),
      },
      call,
    ),
  );

  return { success: true as const };
}
