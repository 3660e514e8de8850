import type { MediaBuyStatus } from '@adcp/sdk/types';
import { cents } from '../../../platform/pricing.js';
import { viewabilityField } from '../../../sources/viewability.js';
import type { BuyRow } from '../buys/store.js';
import type { DeliveryDayRow, RevisionRow } from './store.js';
import { adcpRevisionView, revisionsShown } from './views.js';

export interface DeliveryRequest {
  start_date?: string | undefined;
  end_date?: string | undefined;
  include_package_daily_breakdown?: boolean | undefined;
}

const sum = (days: DeliveryDayRow[], key: 'impressions' | 'clicks' | 'spend') =>
  days.reduce((total, d) => total + Number(d[key]), 0);

/**
 * The buyer's get_media_buy_delivery answer from what the publisher reported: per buy its
 * packages' days (inside start_date..end_date when asked), by package and, when asked, by day
 * (`daily_breakdown`, with the day's clicks beside AdCP's fields), with the viewability the
 * seller measured (sources/viewability.ts) in totals and by package. Finality is AdCP's: every
 * package `is_final` once a final report came (interim until then), the row's `is_final` and
 * `finalized_at` (AdCP 3.1, additive), and `is_adjusted` once a report corrected days already
 * reported; the revision history rides in `ext.interchange.delivery_revisions`.
 */
export function deliveryAnswer(args: {
  buys: BuyRow[];
  days: DeliveryDayRow[];
  revisions: RevisionRow[];
  statusOf: (buy: BuyRow) => MediaBuyStatus;
  request: DeliveryRequest;
  now: Date;
}) {
  const { request } = args;
  const inWindow = (d: DeliveryDayRow) =>
    (!request.start_date || d.day >= request.start_date) &&
    (!request.end_date || d.day <= request.end_date);
  const days = args.days.filter(inWindow);
  const seen = days.map((d) => d.day).sort();
  const now = args.now.toISOString();
  return {
    reporting_period: {
      start: `${request.start_date ?? seen[0] ?? now.slice(0, 10)}T00:00:00.000Z`,
      end: request.end_date
        ? `${request.end_date}T23:59:59.999Z`
        : seen.at(-1)
          ? `${seen.at(-1)}T23:59:59.999Z`
          : now,
    },
    currency: args.buys[0]?.packages[0]?.currency ?? 'USD',
    media_buy_deliveries: args.buys.map((buy) =>
      buyDelivery(
        buy,
        days.filter((d) => d.buyId === buy.id),
        args.revisions.filter((r) => r.buyId === buy.id),
        args.statusOf(buy),
        request.include_package_daily_breakdown === true,
      ),
    ),
  };
}

function buyDelivery(
  buy: BuyRow,
  days: DeliveryDayRow[],
  revisions: RevisionRow[],
  status: MediaBuyStatus,
  daily: boolean,
) {
  const finals = revisions.filter((r) => r.kind === 'final');
  const final = finals.length > 0;
  const finalizedAt = finals.at(-1)?.uploadedAt.toISOString();
  const finality = {
    is_final: final,
    ...(finalizedAt && { finalized_at: finalizedAt }),
  };
  const packages = [...new Set(days.map((d) => d.packageId))].map((packageId) => {
    const mine = days.filter((d) => d.packageId === packageId);
    const pkg = buy.packages.find((p) => p.packageId === packageId);
    return {
      package_id: packageId,
      impressions: sum(mine, 'impressions'),
      spend: cents(sum(mine, 'spend')),
      clicks: sum(mine, 'clicks'),
      pricing_model: 'cpm' as const,
      rate: pkg?.cpm ?? 0,
      currency: mine[0]?.currency ?? pkg?.currency ?? 'USD',
      ...viewabilityField(mine),
      ...finality,
      ...(daily && {
        daily_breakdown: mine.map((d) => ({
          date: d.day,
          impressions: Number(d.impressions),
          spend: cents(Number(d.spend)),
          clicks: Number(d.clicks),
        })),
      }),
    };
  });
  return {
    media_buy_id: buy.id,
    status,
    totals: {
      impressions: sum(days, 'impressions'),
      spend: cents(sum(days, 'spend')),
      clicks: sum(days, 'clicks'),
      ...viewabilityField(days),
    },
    by_package: packages,
    ...(revisions.length > 0 && {
      ...finality,
      is_adjusted: revisions.some((r) => r.adjusted),
      ext: {
        interchange: {
          delivery_revisions: revisions.slice(-revisionsShown).map(adcpRevisionView),
          revision_count: revisions.length,
        },
      },
    }),
  };
}
