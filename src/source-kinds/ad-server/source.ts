import {
  healthOf,
  type InventorySource,
  type SourceAnswer,
  type SourceCall,
  type SourceKind,
  type StoredSourceRow,
} from '../../modules/inventory-sources/index.js';
import {
  buyCreated,
  buysListed,
  buyUpdated,
  type BuyView,
  deliveryReported,
  type FormatView,
  formatsListed,
} from '../../sources/answers.js';
import { cents } from '../../sources/money.js';
import { sourceRefused } from '../../sources/refused.js';
import { impressionsFor, quotedCpmOf } from '../../sources/money.js';
import { adServerCapSupport, lineCapOf } from './frequency-cap.js';
import { adServerSandboxOf } from './sandbox.js';
import { viewabilityField } from '../../sources/viewability.js';
import { actionsOf, statusOf } from './status.js';
import {
  type AdServerKindParts,
  AdServerError,
  applyChanges,
  asksForChanges,
  BookingRefused,
  cancelOrder,
  creativeChanges,
  creativeChangesOf,
  type ConnectionRow,
  deliveryOf,
  ordersOfBuyer as storedOrdersOfBuyer,
  type OrderRow,
  placeOrder,
  productsFor,
  updateOrder,
} from '../../modules/ad-servers/index.js';

/*
 * MANAGED_SALES_AGENT as an inventory source of the storefront's Merchandising Agent (the source
 * port): products come from the synced inventory, a buy becomes an order with one line item per
 * package in the ad server, creatives travel inline on the packages, delivery is what the
 * imported reports say. Every answer concerns the buyer's own orders only; ad-server failures
 * reach the buyer without hosts, tokens or the ad server's text beyond its error name.
 */
export function adServerSources({ ctx, ...followers }: AdServerKindParts): SourceKind {
  return {
    open: (rows, _customerId) => rows.map((row) => adServerSource(ctx, row, followers)),
  };
}

function adServerSource(
  ctx: AdServerKindParts['ctx'],
  row: StoredSourceRow,
  followers: Omit<AdServerKindParts, 'ctx'>,
): InventorySource {
  const error = (code: string, message: string, field?: string) =>
    sourceRefused(row, { code, message, field });

  async function answer<T>(work: () => Promise<T>): Promise<SourceAnswer<T>> {
    try {
      return { ok: true, data: await work() };
    } catch (failure) {
      if (failure instanceof BookingRefused)
        return { ok: false, error: error(failure.code, failure.message, failure.field) };
      if (failure instanceof AdServerError) {
        ctx.deps.onError?.(failure, `ad-server source ${row.id}`);
        return {
          ok: false,
          error: error(
            failure.code === 'ADAPTER_REFUSED' ? 'INVALID_REQUEST' : 'SERVICE_UNAVAILABLE',
            failure.code === 'ADAPTER_REFUSED'
              ? failure.message.replace(/^Ad Manager refused the call: /, 'The ad server refused: ')
              : 'The ad server is unavailable; try again later',
          ),
        };
      }
      throw failure;
    }
  }

  const live = async (): Promise<ConnectionRow> => {
    const connection = await ctx.connectionOf(row.id);
    if (!connection || connection.provisioningStatus !== 'active') {
      throw new BookingRefused('SERVICE_UNAVAILABLE', `Source ${row.sourceId} is not connected`);
    }
    return connection;
  };
  const sandbox =
    followers.sandbox && adServerSandboxOf(followers.sandbox, row, () => ctx.connectionOf(row.id));
  const buyerOf = (call: SourceCall) => {
    if (call.customerId === null) throw new BookingRefused('AUTH_REQUIRED', 'A buyer is required');
    return call.customerId;
  };
  const ordersOfBuyer = (customerId: number, ids?: string[] | null) =>
    storedOrdersOfBuyer(ctx.db, row.id, customerId, ids);
  // Whether its ad server takes a placed buy's creatives changed (booking/creative-changes.ts).
  const changesCreatives = async () => {
    const connection = await ctx.connectionOf(row.id);
    return connection ? ctx.adapterFor(connection).dissociate !== undefined : false;
  };
  const orderView = (order: OrderRow, creatives: boolean): BuyView => ({
    media_buy_id: order.id,
    status: statusOf(order),
    valid_actions: actionsOf(order, creatives),
    ...(order.status === 'rejected' && {
      rejection_reason: order.error?.message ?? 'The ad server disapproved the order',
    }),
    ...(order.adServerStatus && {
      ext: {
        interchange: {
          ad_server_status: order.adServerStatus,
          ad_server_checked_at: order.adServerCheckedAt?.toISOString() ?? null,
        },
      },
    }),
    currency: order.currency,
    total_budget: order.lines.reduce((n, l) => n + l.budget, 0),
    start_time: order.startTime.toISOString(),
    end_time: order.endTime.toISOString(),
    created_at: order.createdAt.toISOString(),
    updated_at: order.updatedAt.toISOString(),
    packages: order.lines.map((l) => ({
      package_id: l.packageId,
      product_id: l.productId,
      budget: l.budget,
      // The line item's goal, as the seller's ad server holds it (what the budget bought).
      impressions: l.impressions ?? impressionsFor(l.budget, l.cpm, { atLeastOne: true }),
      paused: order.status === 'paused',
    })),
  });

  return {
    source: row,
    capabilities: row.capabilities,
    creativeTransport: 'inline',
    // Nothing is written to the publisher's ad server before the operator approves the buy.
    holdsForApproval: true,
    // The price the storefront quoted a package at is the one it books (port.ts QuotedPrice).
    booksQuotedPrice: true,
    health: () => healthOf(row),
    // Each product names the publisher domain it serves on (the connection's publisher domain).
    filtersByProperty: true,
    frequencyCaps: adServerCapSupport,

    getProducts: (request, call) =>
      answer(async () => {
        const connection = await ctx.connectionOf(row.id);
        if (!connection || connection.provisioningStatus !== 'active') return { products: [] };
        // Every product, whatever the brief: the storefront ranks every source's products with
        // the one matcher and pages them, so none is cut here (issue 71, item 1).
        // A sandbox account's call lists its buyer's seeded products first (sandbox.ts).
        const products = [
          ...((await sandbox?.productsFor(connection, call)) ?? []),
          ...(await productsFor(ctx, connection)),
        ];
        // Availability from the cached forecast, never waiting for the ad server; forecasts are
        // asked for the products best for this brief.
        return {
          products: followers.forecasts
            ? await followers.forecasts.attach(connection, products, request)
            : products,
        };
      }),

    listCreativeFormats: (_request, call) =>
      answer(async () => {
        const connection = await live();
        // The caller's seeded products' formats too (format ids as a fixture was seeded with).
        const products = [
          ...(await productsFor(ctx, connection)),
          ...(call.customerId !== null && followers.sandbox
            ? await followers.sandbox.products(connection, call.customerId)
            : []),
        ];
        const formats = new Map<string, FormatView>();
        for (const product of products) {
          for (const f of product.format_ids ?? []) {
            // A video format per spot length: video_standard of 15 s and of 30 s are two formats.
            const seconds = f.duration_ms ? ` ${f.duration_ms / 1000}s` : '';
            formats.set(`${f.id}${seconds}`, { format_id: f, name: `${f.id}${seconds}` });
          }
        }
        return formatsListed([...formats.values()]);
      }),

    createMediaBuy: (request, call) =>
      answer(async () => {
        const connection = await live();
        const customerId = buyerOf(call);
        const start =
          request.start_time === 'asap' || !request.start_time
            ? ctx.now()
            : new Date(String(request.start_time));
        const order = await placeOrder(
          ctx,
          connection,
          {
            idempotencyKey: request.idempotency_key,
            buyerCustomerId: customerId,
            brandName: request.brand?.domain ?? `Interchange buyer ${customerId}`,
            poNumber: request.po_number ?? undefined,
            start,
            end: new Date(String(request.end_time)),
            packages: (request.packages ?? []).map((pkg, i) => ({
              packageId: (pkg as { buyer_ref?: string }).buyer_ref ?? `pkg_${i + 1}`,
              productId: pkg.product_id,
              budget: pkg.budget,
              cpm: quotedCpmOf(pkg),
              impressions: pkg.impressions,
              creatives: (pkg as { creatives?: Array<Record<string, unknown>> }).creatives ?? [],
              frequencyCap: lineCapOf(pkg.targeting_overlay),
            })),
            ...(await sandbox?.bookingFor(connection, call)),
          },
          followers.orders,
        );
        if (order.status === 'failed' || order.status === 'cleanup_pending') {
          throw new BookingRefused('INVALID_REQUEST', order.error?.message ?? 'The order failed');
        }
        return buyCreated({
          mediaBuyId: order.id,
          status: statusOf(order),
          validActions: actionsOf(order, ctx.adapterFor(connection).dissociate !== undefined),
          packages: order.lines.map((l) => ({ package_id: l.packageId, product_id: l.productId })),
        });
      }),

    updateMediaBuy: (request, call) =>
      answer(async () => {
        const [order] = await ordersOfBuyer(buyerOf(call), [request.media_buy_id]);
        if (!order)
          throw new BookingRefused('MEDIA_BUY_NOT_FOUND', `No media buy ${request.media_buy_id}`);
        let status: string;
        if (request.canceled) {
          // The buyer's cancel stands even when the ad server cannot take the order down now.
          await cancelOrder(ctx, row, order, await ctx.connectionOf(row.id));
          status = 'canceled';
        } else {
          const connection = await live();
          const adapter = ctx.adapterFor(connection);
          // Creatives are checked before any change is written, and put on after the budgets.
          const creatives = creativeChangesOf(request.packages);
          // A sandbox order's products may be its buyer's seeded ones (its record says so).
          const seeded = order.request['sandbox']
            ? await followers.sandbox?.rules(connection, order.buyerCustomerId)
            : undefined;
          const putCreatives = creatives.length
            ? await creativeChanges(ctx, connection, order, creatives, seeded)
            : undefined;
          let changed = asksForChanges(request)
            ? await applyChanges(ctx, adapter, order, request)
            : order;
          if (putCreatives) changed = await putCreatives(changed);
          status = changed.status;
          if (request.paused !== undefined) {
            const lineItemIds = order.lines.flatMap((l) => (l.lineItemId ? [l.lineItemId] : []));
            await adapter.pauseLineItems(lineItemIds, request.paused);
            status = request.paused ? 'paused' : 'active';
          }
        }
        const saved = await updateOrder(ctx.db, order.id, {
          status,
          updatedAt: ctx.now(),
        });
        return buyUpdated({
          mediaBuyId: order.id,
          status: statusOf(saved),
          validActions: actionsOf(saved, await changesCreatives()),
          affectedPackages: [],
        });
      }),

    getMediaBuys: (request, call) =>
      answer(async () => {
        const orders = await ordersOfBuyer(buyerOf(call), request.media_buy_ids);
        const creatives = await changesCreatives();
        return buysListed(orders.map((order) => orderView(order, creatives)));
      }),

    getMediaBuyDelivery: (request, call) =>
      answer(async () => {
        const orders = await ordersOfBuyer(buyerOf(call), request.media_buy_ids);
        const rows = await deliveryOf(
          ctx,
          row.id,
          orders.map((o) => o.id),
        );
        const days = rows.flatMap((r) => [r.firstDay, r.lastDay]).sort();
        const now = ctx.now().toISOString();
        return deliveryReported({
          period: {
            start: days[0] ? `${days[0]}T00:00:00.000Z` : now,
            end: days.at(-1) ? `${days.at(-1)}T23:59:59.999Z` : now,
          },
          currency: orders[0]?.currency ?? 'USD',
          deliveries: orders.map((order) => {
            const mine = rows.filter((r) => r.orderId === order.id);
            const sum = (k: 'impressions' | 'clicks' | 'spend') =>
              mine.reduce((n, r) => n + Number(r[k]), 0);
            return {
              media_buy_id: order.id,
              status: statusOf(order),
              totals: {
                impressions: sum('impressions'),
                clicks: sum('clicks'),
                spend: cents(sum('spend')),
                ...viewabilityField(mine.map((r) => r.viewability)),
              },
              by_package: mine.map((r) => {
                const line = order.lines.find((l) => l.lineItemId === r.lineItemId);
                return {
                  package_id: line?.packageId ?? r.lineItemId,
                  impressions: Number(r.impressions),
                  clicks: Number(r.clicks),
                  spend: cents(Number(r.spend)),
                  pricing_model: 'cpm' as const,
                  rate: line?.cpm ?? 0,
                  currency: order.currency,
                  ...viewabilityField([r.viewability]),
                };
              }),
            };
          }),
        });
      }),

    taskStatus: (taskId) =>
      Promise.resolve({ ok: false, error: error('REFERENCE_NOT_FOUND', `No task ${taskId}`) }),

    syncCreatives: () =>
      Promise.resolve({
        ok: false,
        error: error(
          'UNSUPPORTED_FEATURE',
          'This source keeps no creative library: creatives travel on the packages',
        ),
      }),

    // A sandbox buyer's seeds and the controller's scenarios on its sandbox buys (sandbox.ts).
    ...(sandbox && { testController: sandbox.testController }),

    providePerformanceFeedback: () => Promise.resolve({ ok: true, data: { success: true } }),
  };
}
