import { describe, expect, it } from 'vitest';
import { mergedDelivery } from '../../../src/modules/delivery/merged-delivery.js';
import { packageReportsOf } from '../../../src/modules/delivery/report.js';
import type { PlacedBuy } from '../../../src/modules/delivery/store.js';

/**
 * One seller answer read the two ways delivery reads it: recorded for reporting
 * (packageReportsOf) and merged into the live campaign delivery (mergedDelivery). A buy booked
 * in USD whose seller reports in euros must say euros both ways, package by package.
 */
const buy: PlacedBuy = {
  id: 'mb_ours',
  customerId: 1,
  advertiserId: 1,
  campaignId: 'cmp_1',
  salesAgentId: 'storefront-x',
  sellerMediaBuyId: 'seller-1',
  account: {},
  currency: 'USD',
};
const today = '2026-03-10';

function answer(currency: string, byPackage: Record<string, unknown>[]) {
  return {
    reporting_period: { start: '2026-03-01T00:00:00Z', end: '2026-03-09T23:59:59Z' },
    currency,
    media_buy_deliveries: [
      {
        media_buy_id: 'seller-1',
        status: 'active',
        totals: { impressions: 3000, spend: 30 },
        by_package: byPackage,
      },
    ],
  };
}

function bothWays(seller: Record<string, unknown>) {
  const recorded = packageReportsOf(seller, buy.sellerMediaBuyId, buy.currency, today);
  const live = mergedDelivery(
    [buy],
    [{ ok: true, mediaBuyId: buy.id, packages: recorded.length, answer: seller }],
    new Date(`${today}T12:00:00Z`),
  );
  const delivery = live.media_buy_deliveries[0] as Record<string, unknown>;
  const livePackages = delivery['by_package'] as Array<{ package_id: string; currency: string }>;
  return { recorded, live, delivery, livePackages };
}

describe('the currency of a seller’s delivery report', () => {
  it('is the seller’s, not the booked USD, in both the live answer and the recorded figures', () => {
    const { recorded, live, delivery, livePackages } = bothWays(
      answer('eur', [{ package_id: 'p1', impressions: 3000, spend: 30 }]),
    );
    expect(recorded.map((r) => r.currency)).toEqual(['EUR']);
    expect(delivery['currency']).toBe('EUR');
    expect(livePackages.map((p) => p.currency)).toEqual(['EUR']);
    expect(live).toMatchObject({ currency: 'EUR' });
  });

  it('keeps a package the seller reports in another currency in that currency both ways', () => {
    const { recorded, live, delivery, livePackages } = bothWays(
      answer('EUR', [
        { package_id: 'p1', impressions: 1000, spend: 10 },
        { package_id: 'p2', impressions: 2000, spend: 20, currency: 'gbp' },
      ]),
    );
    const recordedCurrencies = Object.fromEntries(recorded.map((r) => [r.packageId, r.currency]));
    const liveCurrencies = Object.fromEntries(livePackages.map((p) => [p.package_id, p.currency]));
    expect(recordedCurrencies).toEqual({ p1: 'EUR', p2: 'GBP' });
    expect(liveCurrencies).toEqual(recordedCurrencies);
    expect(delivery['currency']).toBe('EUR');
    // Two currencies in one answer: the response claims none for all of it.
    expect(live).not.toHaveProperty('currency');
  });

  it('falls back to the booked currency only when the seller names none', () => {
    const seller = answer('', [{ package_id: 'p1', impressions: 10, spend: 1 }]);
    delete (seller as { currency?: string }).currency;
    const { recorded, live } = bothWays(seller);
    expect(recorded.map((r) => r.currency)).toEqual(['USD']);
    expect(live).toMatchObject({ currency: 'USD' });
  });
});
