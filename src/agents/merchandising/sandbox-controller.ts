import { TestControllerError, type ComplyControllerConfig } from '@adcp/sdk/testing';
import { agentRequest } from './caller.js';
import type { MerchandisingDeps } from './deps.js';
import { sandboxScope, sandboxSourceId } from './sandbox.js';

/**
 * `comply_test_controller` for sandbox accounts (the SDK admits only accounts resolved as
 * sandbox): seeding products and pricing options into the caller's sandbox inventory on this
 * storefront, and simulating delivery of a buy placed on it.
 */
export function sandboxController(deps: MerchandisingDeps): ComplyControllerConfig {
  const scope = () => {
    const { storefront, principal } = agentRequest();
    return { scope: sandboxScope(storefront.id, principal.customerId), storefront, principal };
  };
  return {
    seed: {
      product: ({ product_id, fixture }) =>
        deps.sandbox.seedProduct(scope().scope, product_id, fixture),
      pricing_option: ({ product_id, pricing_option_id, fixture }) =>
        deps.sandbox.seedPricingOption(scope().scope, product_id, pricing_option_id, fixture),
    },
    force: {
      create_media_buy_arm: ({ arm, task_id }) => {
        if (arm !== 'submitted') {
          throw new TestControllerError('INVALID_PARAMS', 'Only the submitted arm is supported');
        }
        deps.sandbox.forceSubmitted(scope().scope, { taskId: task_id });
        return { success: true, forced: { arm, ...(task_id && { task_id }) } } as never;
      },
    },
    simulate: {
      delivery: async (params) => {
        const { scope: key, storefront, principal } = scope();
        const row = await deps.mediaBuys.findRecord(storefront.id, params.media_buy_id);
        const leg =
          row?.buyerCustomerId === principal.customerId
            ? row.forwardResult?.find((l) => l.sourceId === sandboxSourceId)
            : undefined;
        if (!leg?.upstreamMediaBuyId) {
          throw new TestControllerError('NOT_FOUND', `No sandbox media buy ${params.media_buy_id}`);
        }
        deps.sandbox.simulateDelivery(key, leg.upstreamMediaBuyId, {
          impressions: params.impressions,
          clicks: params.clicks,
          reported_spend: params.reported_spend,
        });
        return {
          success: true,
          simulated: {
            media_buy_id: params.media_buy_id,
            ...(params.impressions !== undefined && { impressions: params.impressions }),
            ...(params.clicks !== undefined && { clicks: params.clicks }),
            ...(params.reported_spend !== undefined && { reported_spend: params.reported_spend }),
          },
        } as never;
      },
    },
  };
}
