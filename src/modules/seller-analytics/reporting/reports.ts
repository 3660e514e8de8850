import {
  confirmedBudgetOf,
  type MediaBuyReadRow,
  sellerStatusOf,
} from '../../order-views/index.js';
import { round4 } from '../../../platform/pricing.js';
import { deliveryPartOf } from '../runs/facts.js';
import { cents, cpmOf } from '../../../sources/money.js';

/**
 * Storefront reporting from the delivery the storefront agent relayed. A buy whose sources
 * report by day (storefront_delivery_days) is reported on the days delivered; one whose sources
 * give only totals (delivery_reported events, each a buy's cumulative totals) on the days they
 * were reported: a day's delivery is that day's last report minus the one before. Impressions,
 * clicks and spend are relayed; other metrics are zero, and rows are at the media-buy grain
 * (package fields empty).
 */
export interface Totals {
  impressions: number;
  clicks: number;
  spend: number;
}

export function metricsOf(t: Totals) {
  return {
    impressions: t.impressions,
    spend: cents(t.spend),
    clicks: t.clicks,
    views: 0,
    completedViews: 0,
    conversions: 0,
    leads: 0,
    videoCompletions: 0,
    conversionValue: 0,
    ecpm: t.impressions > 0 ? cpmOf(t.spend, t.impressions) : null,
    // As buyer reporting rounds them (modules/reporting/views.ts).
    cpc: t.clicks > 0 ? round4(t.spend / t.clicks) : null,
    ctr: t.impressions > 0 ? round4(t.clicks / t.impressions) : null,
    completionRate: null,
    cpa: null,
    roas: null,
  };
}

export const add = (a: Totals, b: Totals): Totals => ({
  impressions: a.impressions + b.impressions,
  clicks: a.clicks + b.clicks,
  spend: a.spend + b.spend,
});
export const zero = (): Totals => ({ impressions: 0, clicks: 0, spend: 0 });
const minus = (a: Totals, b: Totals): Totals => ({
  impressions: Math.max(0, a.impressions - b.impressions),
  clicks: Math.max(0, a.clicks - b.clicks),
  spend: Math.max(0, a.spend - b.spend),
});
const clicksOf = (detail: Record<string, unknown>) => {
  const clicks = Number(detail['clicks'] ?? 0);
  return Number.isFinite(clicks) && clicks > 0 ? Math.round(clicks) : 0;
};

type ReportRow = { event: { createdAt: Date; detail: Record<string, unknown> } } & MediaBuyReadRow;

/** Per buy, per UTC day: the delivery of that day (cumulative differences). */
export function dailyDeliveries(
  baseline: ReadonlyMap<string, Totals>,
  reports: readonly ReportRow[],
): Map<string, Map<string, Totals>> {
  const last = new Map<string, Totals>(baseline);
  const days = new Map<string, Map<string, Totals>>();
  for (const r of reports) {
    const part = deliveryPartOf({
      id: 0,
      createdAt: r.event.createdAt,
      buyerCustomerId: 0,
      mediaBuyId: r.buy.mediaBuyId,
      event: 'delivery_reported',
      detail: r.event.detail,
    });
    const now = {
      impressions: part.impressions,
      clicks: clicksOf(r.event.detail),
      spend: part.spend,
    };
    const delta = minus(now, last.get(r.buy.mediaBuyId) ?? zero());
    last.set(r.buy.mediaBuyId, now);
    const day = r.event.createdAt.toISOString().slice(0, 10);
    const perDay = days.get(r.buy.mediaBuyId) ?? new Map<string, Totals>();
    perDay.set(day, add(perDay.get(day) ?? zero(), delta));
    days.set(r.buy.mediaBuyId, perDay);
  }
  return days;
}

const advertiserOf = (row: MediaBuyReadRow) => ({
  advertiserId: String(row.buy.buyerCustomerId),
  advertiserName: row.buyerName ?? `Customer ${row.buy.buyerCustomerId}`,
});

const mediaBuyReportOf = (row: MediaBuyReadRow, totals: Totals) => ({
  mediaBuyId: row.buy.mediaBuyId,
  name: row.buy.mediaBuyId,
  status: sellerStatusOf(row.buy, row.delivered),
  budget: confirmedBudgetOf(row.buy),
  inventorySourceId: row.buy.forwardResult?.[0]?.sourceId ?? null,
  metrics: metricsOf(totals),
  packages: [] as {
    packageId: string;
    productId: string | null;
    productName: string | null;
    metrics: ReturnType<typeof metricsOf>;
  }[],
});

export function summaryReport(
  rows: Map<string, { row: MediaBuyReadRow; days: Map<string, Totals> }>,
  period: { start: string; end: string },
) {
  const advertisers = new Map<
    string,
    {
      advertiserId: string;
      advertiserName: string;
      totals: Totals;
      mediaBuys: ReturnType<typeof mediaBuyReportOf>[];
    }
  >();
  let grand = zero();
  for (const { row, days } of [...rows.values()].sort((a, b) =>
    a.row.buy.mediaBuyId.localeCompare(b.row.buy.mediaBuyId),
  )) {
    const totals = [...days.values()].reduce(add, zero());
    grand = add(grand, totals);
    const adv = advertiserOf(row);
    const entry = advertisers.get(adv.advertiserId) ?? { ...adv, totals: zero(), mediaBuys: [] };
    entry.totals = add(entry.totals, totals);
    entry.mediaBuys.push(mediaBuyReportOf(row, totals));
    advertisers.set(adv.advertiserId, entry);
  }
  return {
    advertisers: [...advertisers.values()]
      .sort((a, b) => a.advertiserId.localeCompare(b.advertiserId))
      .map(({ totals, ...a }) => ({ ...a, metrics: metricsOf(totals) })),
    totals: metricsOf(grand),
    periodStart: period.start,
    periodEnd: period.end,
  };
}

export function timeseriesReport(
  rows: Map<string, { row: MediaBuyReadRow; days: Map<string, Totals> }>,
  period: { start: string; end: string },
) {
  let grand = zero();
  const timeseries = [];
  for (const { row, days } of rows.values()) {
    const legs = row.buy.forwardResult ?? [];
    for (const [date, totals] of days) {
      grand = add(grand, totals);
      timeseries.push({
        date,
        ...advertiserOf(row),
        mediaBuyId: row.buy.mediaBuyId,
        mediaBuyName: row.buy.mediaBuyId,
        mediaBuyStatus: sellerStatusOf(row.buy, row.delivered),
        inventorySourceId: legs[0]?.sourceId ?? '',
        inventorySourceIds: [...new Set(legs.map((l) => l.sourceId))],
        packageId: '',
        productId: '',
        productName: '',
        metrics: metricsOf(totals),
      });
    }
  }
  timeseries.sort(
    (a, b) => a.date.localeCompare(b.date) || a.mediaBuyId.localeCompare(b.mediaBuyId),
  );
  return { timeseries, totals: metricsOf(grand), periodStart: period.start, periodEnd: period.end };
}
