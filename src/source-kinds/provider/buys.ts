import { randomUUID } from 'node:crypto';
import type {
  CreateMediaBuyResponse,
  GetMediaBuyDeliveryResponse,
  GetMediaBuysResponse,
  MediaBuyStatus,
  UpdateMediaBuyResponse,
} from '@adcp/sdk/types';
import { pauseCancelActions } from '../../modules/inventory-sources/index.js';
import {
  type BuyDelivery,
  buyCreated,
  buysListed,
  buyUpdated,
  type BuyView,
  deliveryReported,
} from '../../sources/answers.js';
import { cents, cpmOf } from '../../sources/money.js';
import type {
  SourceBuysRequest,
  SourceCall,
  SourceCreateRequest,
  SourceDeliveryRequest,
  SourceUpdateRequest,
} from '../../modules/inventory-sources/index.js';
import {
  asksForChanges,
  awaitPlacing,
  buyerOf,
  type BuyScope,
  callLease,
  changeOf,
  claimBuy,
  holdForChange,
  packageOf,
  type ProviderBuyRow as BuyRow,
  buysOfBuyer,
  type ProviderBuyStatus,
  ProviderError,
  type SaveHeld,
  whileHeld,
  withAudiences,
} from '../../modules/provider-adapters/index.js';

/*
 * The buys of an adapter source, the same for every provider: recorded under the buyer's
 * idempotency key before the provider hears of them, placed by one call at a time (a lease in
 * the buy's row: buys/lease.ts), each provider object saved as it is made (a retry resumes
 * instead of booking twice), and only ever the calling buyer's own.
 */

/**
 * Pause, resume and cancel everywhere; budgets and flight where the provider's adapter changes
 * them (buy-changes.ts), before the start too.
 */
const actionsOf = (scope: BuyScope, status: string) =>
  pauseCancelActions(status, {
    budgetAndDates: scope.adapter.changeBuy !== undefined,
    beforeStart: true,
  });

function statusOf(scope: BuyScope, buy: BuyRow, live: ProviderBuyStatus): MediaBuyStatus {
  if (live === 'canceled' || live === 'paused') return live;
  if (buy.endTime <= scope.now()) return 'completed';
  if (buy.startTime > scope.now()) return 'pending_start';
  return live;
}

async function ownBuys(scope: BuyScope, call: SourceCall, ids: string[] | undefined) {
  const mine = await buysOfBuyer(scope.db, scope.row.id, buyerOf(call));
  return mine.filter((b) => b.status !== 'pending' && (!ids || ids.includes(b.id)));
}

/**
 * AdCP's sandbox account makes "no real platform calls, no real spend", and a provider's campaign
 * is both: a sandbox account's buy is booked only at the sandbox's fake of the provider, and
 * refused before anything is recorded or sent everywhere else.
 */
function refuseSandboxBuy(scope: BuyScope, call: SourceCall) {
  if (call.sandbox !== true || scope.adapter.sandbox) return;
  throw new ProviderError(
    'UNSUPPORTED_FEATURE',
    `A sandbox account's buy is not placed at ${scope.adapter.provider}: it would be a real campaign with real spend. Buy this product with a live account, or seed a sandbox product (comply_test_controller seed_product) to test with`,
    { field: 'account' },
  );
}

export async function createBuy(
  scope: BuyScope,
  request: SourceCreateRequest,
  call: SourceCall,
): Promise<CreateMediaBuyResponse> {
  const { db, ctx, adapter } = scope;
  const defaults = Array.isArray(ctx.settings.defaultCountries)
    ? (ctx.settings.defaultCountries as string[])
    : [];
  const asked = request.packages ?? [];
  refuseSandboxBuy(scope, call);
  // Refused here, nothing recorded and nothing sent: the provider never hears of such a buy.
  const packages = await withAudiences(
    scope,
    buyerOf(call),
    asked,
    asked.map((p, i) => packageOf(p, i, defaults)),
  );
  const start =
    request.start_time === 'asap' || !request.start_time
      ? scope.now()
      : new Date(String(request.start_time));
  const lease = callLease(scope.now, call.budgetMs);
  const claimed = await claimBuy(
    db,
    {
      id: `mb_${randomUUID()}`,
      inventorySourceId: scope.row.id,
      buyerCustomerId: buyerOf(call),
      idempotencyKey: request.idempotency_key,
      provider: adapter.provider,
      accountId: ctx.account.id,
      status: 'pending',
      currency: ctx.account.currency ?? 'USD',
      startTime: start,
      endTime: new Date(String(request.end_time)),
      packages: packages.map((p, i) => ({
        packageId: p.packageId,
        productId: p.productId,
        budget: p.budget,
        pricingOptionId: request.packages?.[i]?.pricing_option_id ?? '',
      })),
      refs: { packages: {} },
    },
    lease.next(),
    scope.now(),
  );
  if (!claimed) throw new ProviderError('SERVICE_UNAVAILABLE', 'The buy could not be recorded');
  // Another call is placing it: nothing is sent to the provider from here (buys/lease.ts).
  let { buy } =
    claimed.held || claimed.buy.status !== 'pending'
      ? claimed
      : await awaitPlacing(db, claimed.buy, lease, scope.now, call.budgetMs);
  if (buy.status === 'pending') {
    const pending = buy;
    buy = await whileHeld(db, pending.id, lease, async (save) => {
      const refs = await adapter.createBuy(
        ctx,
        {
          buyId: pending.id,
          name: request.po_number ? `PO ${request.po_number}` : 'Storefront buy',
          startTime: pending.startTime,
          endTime: pending.endTime,
          packages,
        },
        pending.refs,
        async (saved) => {
          await save({ refs: saved });
        },
      );
      return save({ refs, status: 'active' });
    });
  }
  const status = statusOf(scope, buy, 'active');
  return buyCreated({
    mediaBuyId: buy.id,
    status,
    validActions: actionsOf(scope, status),
    packages: buy.packages.map((p) => ({ package_id: p.packageId, product_id: p.productId })),
  });
}

/**
 * A change of a booked buy (pause, resume, cancel, budgets and flight), made by one call at a
 * time: the buy's lease is taken first (buys/lease.ts), so a change is computed from the buy as
 * the change before it left it. Google Ads and Amazon budget the campaign from the whole buy,
 * where two changes read at once would each send a total without the other's.
 */
export async function updateBuy(
  scope: BuyScope,
  request: SourceUpdateRequest,
  call: SourceCall,
): Promise<UpdateMediaBuyResponse> {
  const [own] = await ownBuys(scope, call, [request.media_buy_id]);
  if (!own) throw new ProviderError('MEDIA_BUY_NOT_FOUND', `No media buy ${request.media_buy_id}`);
  const lease = callLease(scope.now, call.budgetMs);
  const held = await holdForChange(scope.db, own.id, lease, scope.now, call.budgetMs);
  return whileHeld(scope.db, own.id, lease, (save) => changeHeld(scope, held, request, save));
}

async function changeHeld(
  scope: BuyScope,
  held: BuyRow,
  request: SourceUpdateRequest,
  save: SaveHeld,
): Promise<UpdateMediaBuyResponse> {
  let buy = held;
  let status = buy.status;
  const affected: string[] = [];
  if (request.canceled) {
    await scope.adapter.cancel(scope.ctx, buy.refs);
    status = 'canceled';
  } else {
    if (asksForChanges(request)) {
      const change = changeOf(scope.adapter, buy, request, scope.now());
      await scope.adapter.changeBuy!(scope.ctx, buy.refs, change);
      affected.push(...change.budgets.keys());
      buy = await save({
        packages: buy.packages.map((p) => ({
          ...p,
          budget: change.budgets.get(p.packageId) ?? p.budget,
        })),
        ...(change.startTime && { startTime: change.startTime }),
        ...(change.endTime && { endTime: change.endTime }),
      });
    }
    if (request.paused !== undefined) {
      await scope.adapter.setPaused(scope.ctx, buy.refs, request.paused);
      status = request.paused ? 'paused' : 'active';
    }
  }
  const changed = await save({ status });
  const answered = statusOf(scope, changed, status as ProviderBuyStatus);
  return buyUpdated({
    mediaBuyId: changed.id,
    status: answered,
    validActions: actionsOf(scope, answered),
    affectedPackages: affected,
  });
}

export async function listBuys(
  scope: BuyScope,
  request: SourceBuysRequest,
  call: SourceCall,
): Promise<GetMediaBuysResponse> {
  const found = await ownBuys(scope, call, request.media_buy_ids ?? undefined);
  const views: BuyView[] = [];
  for (const buy of found) {
    const status = statusOf(scope, buy, await scope.adapter.status(scope.ctx, buy.refs));
    views.push({
      media_buy_id: buy.id,
      status,
      valid_actions: actionsOf(scope, status),
      currency: buy.currency,
      total_budget: buy.packages.reduce((sum, p) => sum + p.budget, 0),
      start_time: buy.startTime.toISOString(),
      end_time: buy.endTime.toISOString(),
      created_at: buy.createdAt.toISOString(),
      updated_at: buy.updatedAt.toISOString(),
      packages: buy.packages.map((p) => ({
        package_id: p.packageId,
        product_id: p.productId,
        budget: p.budget,
        pricing_option_id: p.pricingOptionId,
        paused: status === 'paused',
      })),
    });
  }
  return buysListed(views);
}

export async function buyDelivery(
  scope: BuyScope,
  request: SourceDeliveryRequest,
  call: SourceCall,
): Promise<GetMediaBuyDeliveryResponse> {
  const found = await ownBuys(scope, call, request.media_buy_ids ?? undefined);
  const end = scope.now();
  const deliveries: BuyDelivery[] = [];
  let start = end;
  for (const buy of found) {
    if (buy.startTime < start) start = buy.startTime;
    const rows = await scope.adapter.delivery(scope.ctx, buy.refs, {
      start: buy.startTime,
      end: buy.endTime < end ? buy.endTime : end,
    });
    const sum = (k: 'impressions' | 'clicks' | 'spend') =>
      rows.reduce((total, r) => total + r[k], 0);
    deliveries.push({
      media_buy_id: buy.id,
      status: statusOf(scope, buy, buy.status as ProviderBuyStatus),
      totals: {
        impressions: sum('impressions'),
        clicks: sum('clicks'),
        spend: cents(sum('spend')),
      },
      by_package: rows.map((r) => ({
        package_id: r.packageId,
        impressions: r.impressions,
        clicks: r.clicks,
        spend: r.spend,
        pricing_model: 'cpm',
        rate: cpmOf(r.spend, r.impressions),
        currency: buy.currency,
      })),
    });
  }
  return deliveryReported({
    period: { start: start.toISOString(), end: end.toISOString() },
    currency: found[0]?.currency ?? 'USD',
    deliveries,
  });
}
