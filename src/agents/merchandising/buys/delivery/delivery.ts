import { AdcpError } from '@adcp/sdk/server';
import type { GetMediaBuyDeliveryRequest, GetMediaBuyDeliveryResponse } from '@adcp/sdk/types';
import type { MerchandisingDeps } from '../../deps.js';
import { packageDaysOf, revisionsOf, withoutDays } from './delivery-days.js';
import { forwardedBuys, perSource, type ReadMode } from '../forwarded-buys.js';
import { namespacedProductId } from '../../products/product-ids.js';
import { speaks31 } from '../../../adcp31/index.js';
import { buyTotals } from './buy-totals.js';
import { billingOf } from './billing.js';
import { agentRequest } from '../../caller.js';
import { confirmedBudgetOf } from '../../../../modules/order-views/index.js';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import { cents, cpmOf } from '../../../../sources/money.js';

type Delivery = GetMediaBuyDeliveryResponse['media_buy_deliveries'][number];

/**
 * get_media_buy_delivery: each buy's delivery summed over the sources holding its parts, with
 * package ids in the storefront's namespace; every report is recorded for seller analytics, and
 * its days (sources are always asked for each package's daily breakdown, which the buyer gets
 * only when it asked) for storefront reporting.
 */
export async function getMediaBuyDelivery(
  deps: MerchandisingDeps,
  request: GetMediaBuyDeliveryRequest,
  mode?: ReadMode,
): Promise<GetMediaBuyDeliveryResponse> {
  const rows = await forwardedBuys(deps, request.media_buy_ids, mode);
  if (request.media_buy_ids?.length && rows.length === 0) {
    // The same answer for any unknown ids: which ids exist elsewhere does not leak.
    throw new AdcpError('MEDIA_BUY_NOT_FOUND', { message: 'No media buy with the requested ids' });
  }
  const { media_buy_ids: _ids, account: _account, context: _c, ext: _e, ...rest } = request;
  const { outcomes } = await perSource<GetMediaBuyDeliveryResponse>(
    deps,
    rows,
    (port, ids, _legs, call) =>
      port.getMediaBuyDelivery(
        { ...rest, include_package_daily_breakdown: true, media_buy_ids: ids },
        call,
      ),
  );

  const upstream = new Map<string, Delivery>();
  let period: GetMediaBuyDeliveryResponse['reporting_period'] | undefined;
  let currency = 'USD';
  const errors = [];
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      errors.push(outcome.error);
      continue;
    }
    period ??= outcome.data.reporting_period;
    currency = outcome.data.currency ?? currency;
    for (const d of outcome.data.media_buy_deliveries ?? [])
      upstream.set(
        `${outcome.source.sourceId}\n${d.media_buy_id}`,
        withPackagePricing(d, outcome.data.currency ?? currency),
      );
  }
  const v31 = speaks31();
  // What the buyer is billed of delivery past its budget: the storefront's stated policy.
  const policy = agentRequest().storefront.overdeliveryBilling;
  const deliveries = rows.map((row): Delivery => {
    const parts = (row.forwardResult ?? []).flatMap((leg) => {
      const d = upstream.get(`${leg.sourceId}\n${leg.upstreamMediaBuyId}`);
      return d ? [{ leg, d }] : [];
    });
    const revisions = parts.flatMap(({ leg, d }) =>
      revisionsOf(d, (id) => namespacedProductId(leg.sourceId, id)),
    );
    const totals = buyTotals(
      parts.map((p) => (p.d.totals ?? {}) as Record<string, unknown>),
      v31,
    );
    const billing =
      parts.length > 0 ? billingOf(policy, budgetOfRow(row), Number(totals.spend ?? 0)) : undefined;
    const ours = {
      ...(revisions.length > 0 && {
        delivery_revisions: revisions,
        revision_count: revisions.length,
      }),
      ...(billing && { billing }),
    };
    return {
      ...(parts[0]?.d ?? {}),
      media_buy_id: row.mediaBuyId,
      status: parts[0]?.d.status ?? 'pending_start',
      ...finalityOf(parts.map((p) => p.d)),
      totals,
      by_package: parts.flatMap(({ leg, d }) =>
        (d.by_package ?? []).map((pkg) => ({
          ...(v31 ? pkg : without31(pkg)),
          package_id: namespacedProductId(leg.sourceId, pkg.package_id),
        })),
      ),
      ...(Object.keys(ours).length > 0 && { ext: { interchange: ours } }),
    } as Delivery;
  });
  const at = new Date();
  for (const row of rows) {
    const delivery = deliveries.find((d) => d.media_buy_id === row.mediaBuyId);
    await deps.mediaBuys.event(row, 'delivery_reported', {
      spend: delivery?.totals.spend ?? 0,
      impressions: delivery?.totals.impressions ?? 0,
      clicks: delivery?.totals.clicks ?? 0,
      // Seller analytics reports delivered spend in this currency (null when mixed).
      currency,
    });
    const days = delivery ? packageDaysOf(delivery, currency) : [];
    if (days.length > 0) await deps.mediaBuys.recordDeliveryDays(row, days, at);
  }
  const now = at.toISOString();
  return {
    reporting_period: period ?? { start: now, end: now },
    currency,
    aggregated_totals: {
      spend: cents(deliveries.reduce((sum, d) => sum + (d.totals.spend ?? 0), 0)),
      impressions: deliveries.reduce((sum, d) => sum + (d.totals.impressions ?? 0), 0),
      media_buy_count: deliveries.length,
    },
    media_buy_deliveries: request.include_package_daily_breakdown
      ? deliveries
      : deliveries.map((d) => ({ ...d, by_package: d.by_package.map(withoutDays) })),
    ...(errors.length > 0 && { errors }),
  } as GetMediaBuyDeliveryResponse;
}

/**
 * AdCP 3.0.6 requires each package row to name its pricing model, rate and currency; a source
 * that leaves them out (as @adcp/sdk's non-guaranteed example does) would make this agent's
 * whole answer invalid. Missing ones are filled with what the row itself shows: the currency of
 * the source's answer and the effective CPM it delivered at.
 */
function withPackagePricing(d: Delivery, currency: string): Delivery {
  return {
    ...d,
    by_package: (d.by_package ?? []).map((pkg) => ({
      ...pkg,
      pricing_model: pkg.pricing_model ?? 'cpm',
      rate: pkg.rate ?? cpmOf(pkg.spend ?? 0, pkg.impressions ?? 0),
      currency: pkg.currency ?? currency,
    })),
  } as Delivery;
}

/** A package row as a 3.0 buyer always had it: without 3.1's vendor metric values. */
function without31<T extends object>(pkg: T): T {
  const { vendor_metric_values: _values, ...rest } = pkg as T & { vendor_metric_values?: unknown };
  return rest as T;
}

/**
 * AdCP finality over a buy's parts: adjusted when any part's figures were corrected; final
 * (with when) only when every part is; left out when no part says.
 */
function finalityOf(parts: Delivery[]) {
  const flags = parts.map((d) => d as { is_final?: boolean; finalized_at?: string });
  const said = flags.filter((d) => d.is_final !== undefined);
  const final = said.length > 0 && flags.every((d) => d.is_final === true);
  const finalizedAt = flags
    .map((d) => d.finalized_at ?? '')
    .sort()
    .at(-1);
  return {
    ...(parts.some((d) => d.is_adjusted) && { is_adjusted: true }),
    ...(said.length > 0 && { is_final: final }),
    ...(final && finalizedAt && { finalized_at: finalizedAt }),
  };
}

/** The buy's budget as its sources last confirmed it (order-views reads the same rows). */
function budgetOfRow(row: MediaBuyRow): number | null {
  const routed = row.routedPackages?.map((pkg) => ({ ...pkg })) ?? null;
  return confirmedBudgetOf({ ...row, routedPackages: routed });
}
