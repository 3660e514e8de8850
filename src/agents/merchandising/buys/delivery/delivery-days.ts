import type { GetMediaBuyDeliveryResponse } from '@adcp/sdk/types';
import type { PackageDays } from '../../../../modules/merchandising-events/index.js';
import { isRecord } from '../../../../platform/is-record.js';

type Delivery = GetMediaBuyDeliveryResponse['media_buy_deliveries'][number];
type Package = Delivery['by_package'][number];

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * A delivery's packages as days for storefront reporting, when every package came with its
 * daily breakdown (the days are then the whole of what the buy delivered in the period); none
 * otherwise, and the buy is reported from its totals. A day's clicks are read where the source
 * gives them (beside AdCP's fields); else the package's clicks total is recorded as a total.
 */
export function packageDaysOf(delivery: Delivery, currency: string): PackageDays[] {
  const packages = delivery.by_package ?? [];
  if (packages.length === 0 || !packages.every((p) => Array.isArray(p.daily_breakdown))) {
    return [];
  }
  return packages.map((pkg) => ({
    packageId: pkg.package_id,
    currency: pkg.currency ?? currency,
    days: (pkg.daily_breakdown ?? [])
      .filter((d) => isRecord(d) && typeof d.date === 'string' && dayPattern.test(d.date))
      .map((d) => ({
        day: d.date,
        impressions: count(d.impressions) ?? 0,
        spend: count(d.spend) ?? 0,
        clicks: count((d as Record<string, unknown>)['clicks']),
      })),
    clicksTotal: count(pkg.clicks),
  }));
}

/** The package without its daily breakdown (a buyer that did not ask for one gets none). */
export function withoutDays(pkg: Package): Package {
  const { daily_breakdown: _days, ...rest } = pkg;
  return rest as Package;
}

/**
 * The revisions a source's delivery carries (`ext.interchange.delivery_revisions`, modular
 * sources), their package ids renamed as the storefront names the packages.
 */
export function revisionsOf(delivery: Delivery, rename: (packageId: string) => string): unknown[] {
  const ext = (delivery as { ext?: unknown }).ext;
  const ours = isRecord(ext) && isRecord(ext['interchange']) ? ext['interchange'] : undefined;
  const revisions = Array.isArray(ours?.['delivery_revisions']) ? ours['delivery_revisions'] : [];
  return revisions.filter(isRecord).map((r) => ({
    ...r,
    ...(Array.isArray(r['changes']) && {
      changes: r['changes'].filter(isRecord).map((c) => ({
        ...c,
        ...(typeof c['package_id'] === 'string' && { package_id: rename(c['package_id']) }),
      })),
    }),
    ...(Array.isArray(r['overdelivery_confirmed']) && {
      overdelivery_confirmed: r['overdelivery_confirmed'].filter(isRecord).map((o) => ({
        ...o,
        ...(typeof o['package_id'] === 'string' && { package_id: rename(o['package_id']) }),
      })),
    }),
  }));
}
