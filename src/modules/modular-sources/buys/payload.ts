import type { BuyRow } from './store.js';

/** What a work item about a buy carries of it (payload): flight, brand, PO and packages. */
export const buyPayload = (buy: BuyRow) => ({
  mediaBuyId: buy.id,
  startTime: buy.startTime.toISOString(),
  endTime: buy.endTime.toISOString(),
  brandDomain: buy.brandDomain,
  poNumber: buy.poNumber,
  packages: buy.packages.map((p) => ({
    packageId: p.packageId,
    availId: p.availId,
    impressions: p.impressions,
    budget: p.budget,
    cpm: p.cpm,
    currency: p.currency,
    creatives: p.creatives,
  })),
});
