import type { PackageDelivery, ProviderRefs } from '../contract.js';
import { cents } from '../../../sources/money.js';

/** One row of a provider's report at ad-set (ad group, ad squad) level, in major units. */
export interface AdSetFigures {
  adSetId: string;
  impressions: number;
  clicks: number;
  spend: number;
}

/**
 * A provider's report rows as delivery per package of the buy: each package sums the rows of
 * the ad set made for it (a report may answer several rows per ad set, one per day or page),
 * spend rounded to cents. A package whose ad set reported nothing delivered nothing.
 */
export function deliveryByPackage(refs: ProviderRefs, rows: AdSetFigures[]): PackageDelivery[] {
  return Object.entries(refs.packages).map(([packageId, made]) => {
    const mine = rows.filter((r) => made.adSetId !== undefined && r.adSetId === made.adSetId);
    const sum = (k: 'impressions' | 'clicks' | 'spend') =>
      mine.reduce((total, r) => total + (Number.isFinite(r[k]) ? r[k] : 0), 0);
    return {
      packageId,
      impressions: sum('impressions'),
      clicks: sum('clicks'),
      spend: cents(sum('spend')),
    };
  });
}
