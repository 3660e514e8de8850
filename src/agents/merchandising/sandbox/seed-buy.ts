import { TestControllerError } from '@adcp/sdk/testing';
import type { SubmittedBuy } from '../../../modules/orders/index.js';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';
import { forwardMediaBuy } from '../buys/create/forward.js';
import { settleForward } from '../buys/source-writes.js';
import { sandboxScope } from '../../../sources/sandbox.js';
import { isRecord } from '../../../platform/is-record.js';

/**
 * The product a seeded buy is booked on when its fixture names none: the buyer never named it,
 * so a 3.1 get_media_buys shows the package without it (a legacy seller's package shape).
 */
export const seededBuyProductId = 'seeded_media_buy_product';
const seededPricingOptionId = 'seeded_media_buy_cpm';
/** A seeded buy's budget when its fixture gives none (the sandbox book asks for one). */
const defaultBudget = 1_000;

/**
 * comply_test_controller `seed_media_buy` (the storyboards' `fixtures.media_buys`, e.g. the
 * pagination-integrity ones): a buy of the caller's sandbox account on this storefront, under
 * the id the fixture names, recorded and booked as a buy placed through create_media_buy would
 * be: on the sandbox book (sandbox.ts), so get_media_buys, update_media_buy and delivery find it
 * as they find any of the buyer's buys. Its product is the fixture's first package's (seeded
 * if the buyer has not), else a seeded product of its own. A re-seed of an id the caller holds
 * keeps the buy; an id another buyer holds on this storefront is refused.
 */
export async function seedMediaBuy(
  deps: MerchandisingDeps,
  mediaBuyId: string,
  fixture: Record<string, unknown>,
): Promise<void> {
  const { storefront, principal } = agentRequest();
  const scope = sandboxScope(storefront.id, principal.customerId);
  const existing = await deps.mediaBuys.findRecord(storefront.id, mediaBuyId);
  if (existing) return assertOwn(existing.buyerCustomerId, principal.customerId, mediaBuyId);

  const pkg = firstPackage(fixture);
  const productId = typeof pkg['product_id'] === 'string' ? pkg['product_id'] : seededBuyProductId;
  let pricingOptionId =
    typeof pkg['pricing_option_id'] === 'string' ? pkg['pricing_option_id'] : undefined;
  if (!deps.sandbox.has(scope, productId)) deps.sandbox.seedProduct(scope, productId, {});
  if (!pricingOptionId) {
    pricingOptionId = seededPricingOptionId;
    deps.sandbox.seedPricingOption(scope, productId, pricingOptionId, {
      pricing_model: 'cpm',
      fixed_price: 10,
      currency: typeof fixture['currency'] === 'string' ? fixture['currency'] : 'USD',
    });
  }
  const budget = typeof pkg['budget'] === 'number' ? pkg['budget'] : defaultBudget;
  const accountId = `sandbox_buyer_${principal.customerId}`;
  const payload: SubmittedBuy = {
    // The sandbox book keeps one account per buyer and storefront (sandbox/source.ts).
    account: { account_id: accountId },
    brand: { domain: 'sandbox.example' },
    idempotency_key: `seeded_${mediaBuyId}`.padEnd(16, '_'),
    start_time: typeof fixture['start_time'] === 'string' ? fixture['start_time'] : 'asap',
    end_time:
      typeof fixture['end_time'] === 'string'
        ? fixture['end_time']
        : new Date(Date.now() + 30 * 86_400_000).toISOString(),
    packages: [
      {
        product_id: productId,
        pricing_option_id: pricingOptionId,
        budget,
        // The fixture's package id and context: the buyer correlates the package by them.
        ...(typeof pkg['package_id'] === 'string' && {
          ext: { sandbox_package_id: pkg['package_id'] },
        }),
        ...(isRecord(pkg['context']) && { context: pkg['context'] }),
      },
    ],
  };
  let row;
  try {
    row = await deps.mediaBuys.place(
      { mediaBuyApproval: 'auto' },
      {
        storefrontId: storefront.id,
        buyerCustomerId: principal.customerId,
        mediaBuyId,
        accountId,
        idempotencyKey: payload.idempotency_key,
        submittedPayload: payload,
        routedPackages: null,
        discoveryRunId: null,
      },
    );
  } catch (error) {
    // Two seeds of one id at once: the database let one in; the other is a re-seed or refused.
    const winner = await deps.mediaBuys.findRecord(storefront.id, mediaBuyId);
    if (!winner) throw error;
    return assertOwn(winner.buyerCustomerId, principal.customerId, mediaBuyId);
  }
  const summary = await forwardMediaBuy(deps, row);
  await deps.mediaBuys.saveForward(row, summary);
  await settleForward(deps, summary);
  if (summary.outcome !== 'all_completed') {
    const refusal = summary.legs.find((leg) => leg.status === 'failed');
    throw new TestControllerError(
      'INVALID_PARAMS',
      `The sandbox could not book media buy ${mediaBuyId}: ${refusal?.error?.message ?? summary.error ?? summary.outcome}`,
    );
  }
}

function assertOwn(holder: number, caller: number, mediaBuyId: string): void {
  if (holder === caller) return;
  throw new TestControllerError(
    'INVALID_PARAMS',
    `media_buy_id ${mediaBuyId} is taken on this storefront; seed another id`,
  );
}

/** The fixture's first package (a fixture may name none: media_buy_id, status, currency). */
function firstPackage(fixture: Record<string, unknown>): Record<string, unknown> {
  const packages = fixture['packages'];
  const first: unknown = Array.isArray(packages) ? packages[0] : undefined;
  return typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {};
}
