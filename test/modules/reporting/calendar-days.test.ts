import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

/**
 * Every YYYY-MM-DD query field (buyer delivery, buyer reporting, storefront reporting) accepts
 * only days that exist, and a start after the end, with 400 naming the field: such a day would
 * otherwise reach PostgreSQL or Date arithmetic (a 500, or a silent roll-over into March).
 */
let h: Harness;
let buyer: TestCustomer;
let seller: TestCustomer;

beforeAll(async () => {
  h = await createHarness();
  [buyer, seller] = await Promise.all([
    createCustomer(h, { role: 'BUYER' }),
    createCustomer(h, { role: 'SELLER' }),
  ]);
});
afterAll(async () => h?.close());

const endpoints = () => [
  { url: '/api/v2/buyer/campaigns/cmp_unknown/delivery', key: buyer.key },
  { url: '/api/v2/buyer/reporting/metrics', key: buyer.key },
  { url: '/api/v2/storefront/reporting/metrics', key: seller.key },
];

describe('calendar days in queries', () => {
  it('refuses days that do not exist with 400 naming the field', async () => {
    for (const { url, key } of endpoints()) {
      for (const [query, field] of [
        ['startDate=2026-02-30', 'startDate'],
        ['endDate=2026-13-01', 'endDate'],
        ['startDate=2025-02-29', 'startDate'],
        ['endDate=2026-04-31', 'endDate'],
        ['startDate=2026-7-10', 'startDate'],
        // PostgreSQL has no year 0000: once a 500, now refused before any query.
        ['endDate=0000-01-02', 'endDate'],
        ['startDate=0001-01-01', 'startDate'],
      ] as const) {
        const res = await h.call('GET', `${url}?${query}`, { key });
        expect(res.status, `${url}?${query}: ${res.text}`).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field });
      }
    }
  });

  it('refuses a start after the end with 400 naming startDate', async () => {
    for (const { url, key } of endpoints()) {
      const res = await h.call('GET', `${url}?startDate=2026-03-02&endDate=2026-03-01`, { key });
      expect(res.status, `${url}: ${res.text}`).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'startDate' });
    }
  });

  it('accepts a leap day and the last day of a month', async () => {
    const leap = await h.call(
      'GET',
      '/api/v2/buyer/reporting/metrics?startDate=2024-02-29&endDate=2024-03-31',
      { key: buyer.key },
    );
    expect(leap.status, leap.text).toBe(200);
    expect(leap.body.data).toMatchObject({ periodStart: '2024-02-29', periodEnd: '2024-03-31' });
    const storefront = await h.call(
      'GET',
      '/api/v2/storefront/reporting/metrics?startDate=2024-02-29&endDate=2024-02-29',
      { key: seller.key },
    );
    expect(storefront.status, storefront.text).toBe(200);
    // The day is valid, so an unknown campaign is what remains to answer.
    const delivery = await h.call(
      'GET',
      '/api/v2/buyer/campaigns/cmp_unknown/delivery?startDate=2024-02-29',
      { key: buyer.key },
    );
    expect(delivery.status, delivery.text).toBe(404);
  });
});
