import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { day } from '../modular-sources/support.js';
import { csvRows, pathOf, threeOrders } from './orders-support.js';

/**
 * The storefront's orders (GET /api/v2/storefront/media-buys, hosted listStorefrontMediaBuys
 * with Interchange's additions): every buy with what a seller runs its day with, the filters,
 * cursor paging, the CSV export, and another storefront seeing none of it.
 */
let h: Harness;
let orders: Awaited<ReturnType<typeof threeOrders>>;

beforeAll(async () => {
  h = await createHarness();
  const base = await listen(h);
  orders = await threeOrders(h, base);
}, 180_000);
afterAll(async () => {
  await orders?.close();
  await h?.close();
});

type Order = {
  mediaBuyId: string;
  status: string;
  buyer: { customerId: number; name: string | null };
  brandDomain: string | null;
  poNumber: string | null;
  budget: number | null;
  currency: string | null;
  flightStart: string | null;
  flightEnd: string | null;
  productIds: string[];
  sources: Array<{ sourceId: string; name: string | null; sourceMediaBuyId: string | null }>;
  pacing: {
    deliveredSpend: number;
    deliveredImpressions: number;
    expectedSpend: number | null;
    pacingRatio: number | null;
  };
  openWorkItems: number;
  buyerRefs: { agencyEstimateNumber: string | null };
};

const list = (query = '', key = orders.sf.seller.key) =>
  h.call('GET', `/api/v2/storefront/media-buys${query}`, { key });
const idsOf = (res: { body: { data: { items: Order[] } } }) =>
  res.body.data.items.map((i) => i.mediaBuyId).sort();

describe('the orders list', () => {
  it('shows each buy’s buyer, brand, budget, flight, PO, products, source, pacing, open work and the buyer’s ids', async () => {
    const res = await list();
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.total).toBe(3);
    const a1 = (res.body.data.items as Order[]).find((i) => i.mediaBuyId === orders.ids.a1)!;
    expect(a1, res.text).toMatchObject({
      status: 'delivering',
      buyer: { customerId: orders.a.customer.id },
      brandDomain: 'acmeoutdoor.example',
      poNumber: 'PO-A1',
      budget: 2_800,
      currency: 'USD',
      productIds: [orders.product.product_id],
      sources: [{ sourceId: 'avails', name: 'Print and radio avails' }],
      buyerRefs: { agencyEstimateNumber: 'EST-9' },
      pacing: { deliveredSpend: 14, deliveredImpressions: 1_000 },
    });
    expect(a1.flightEnd).not.toBeNull();
    // Placed seconds ago on a 20-day flight: far less than 1 of 2,800 is expected yet.
    expect(a1.pacing.expectedSpend).toBeGreaterThanOrEqual(0);
    expect(a1.pacing.expectedSpend).toBeLessThan(1);
    // The open work items are those the source's queue holds for this buy.
    const sourceBuy = a1.sources[0]!.sourceMediaBuyId;
    const open = orders.workItems.filter((w) => w.mediaBuyId === sourceBuy).length;
    expect(open).toBeGreaterThan(0);
    expect(a1.openWorkItems).toBe(open);

    const b1 = (res.body.data.items as Order[]).find((i) => i.mediaBuyId === orders.ids.b1)!;
    expect(b1).toMatchObject({
      poNumber: 'PO-B1',
      buyer: { customerId: orders.b.customer.id },
      pacing: { deliveredSpend: 0, deliveredImpressions: 0, expectedSpend: 0 },
      buyerRefs: { agencyEstimateNumber: null },
    });
  });

  it('does not call a buy delivering when its buyer read a delivery of nothing before it started', async () => {
    const before = (await list()).body.data.items as Order[];
    const statusBefore = before.find((i) => i.mediaBuyId === orders.ids.b1)!.status;
    expect(statusBefore).not.toBe('delivering');
    // Buyer B reads its buy's delivery two days before the flight starts: nothing delivered.
    const read = await orders.b.agent.call('get_media_buy_delivery', {
      media_buy_ids: [orders.ids.b1],
      account: orders.b.account,
    });
    expect(read.isError, JSON.stringify(read)).toBe(false);
    expect(read.media_buy_deliveries[0].totals.impressions ?? 0).toBe(0);
    const after = (await list()).body.data.items as Order[];
    expect(after.find((i) => i.mediaBuyId === orders.ids.b1)!.status).toBe(statusBefore);
    expect(idsOf(await list('?status=delivering'))).toEqual([orders.ids.a1]);
  });

  it('filters by buyer, source, status and flight start', async () => {
    const { a1, a2, b1 } = orders.ids;
    const byBuyer = await list(`?buyerCustomerId=${orders.b.customer.id}`);
    expect(idsOf(byBuyer)).toEqual([b1]);
    expect(idsOf(await list('?sourceId=avails'))).toEqual([a1, a2, b1].sort());
    expect(idsOf(await list('?sourceId=elsewhere'))).toEqual([]);
    expect(idsOf(await list('?status=delivering'))).toEqual([a1]);
    expect(idsOf(await list('?status=pending_approval'))).toEqual([]);
    const from = encodeURIComponent(day(0.5));
    const to = encodeURIComponent(day(1.5));
    expect(idsOf(await list(`?flightStartFrom=${from}`))).toEqual([a2, b1].sort());
    expect(idsOf(await list(`?flightStartFrom=${from}&flightStartTo=${to}`))).toEqual([a2]);
  });

  it('refuses a bad filter or a cursor it did not issue at its field', async () => {
    for (const [query, field] of [
      ['?status=shipped', 'status'],
      ['?buyerCustomerId=abc', 'buyerCustomerId'],
      ['?flightStartFrom=tomorrow', 'flightStartFrom'],
      ['?cursor=not-a-cursor', 'cursor'],
      [`?cursor=${Buffer.from('{"u":2}').toString('base64url')}`, 'cursor'],
    ] as const) {
      const res = await list(query);
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      expect(res.body.error.field, query).toBe(field);
    }
  });

  it('pages with a cursor: every buy once, in the list’s order, then no next cursor', async () => {
    const whole = (await list()).body.data.items.map((i: Order) => i.mediaBuyId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`?take=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.total).toBe(3);
      expect(res.body.data.items).toHaveLength(1);
      seen.push(res.body.data.items[0].mediaBuyId);
      cursor = res.body.data.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual(whole);
    const two = await list('?take=2');
    expect(two.body.data.nextCursor).not.toBeNull();
    const rest = await list(`?take=2&cursor=${two.body.data.nextCursor}`);
    expect(rest.body.data.items.map((i: Order) => i.mediaBuyId)).toEqual(whole.slice(2));
    expect(rest.body.data.nextCursor).toBeNull();
  });

  it('exports the filtered orders as CSV through a signed link; a changed link is refused', async () => {
    const a = orders.a.customer.id;
    const exported = await h.call(
      'GET',
      `/api/v2/storefront/media-buys/export?buyerCustomerId=${a}`,
      {
        key: orders.sf.seller.key,
      },
    );
    expect(exported.status, exported.text).toBe(200);
    expect(exported.body.data.rowCount).toBe(2);
    const path = pathOf(exported.body.data.downloadUrl);
    const csv = await h.call('GET', path);
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = csvRows(csv.text);
    expect(rows.map((r) => r['poNumber']).sort()).toEqual(['PO-A1', 'PO-A2']);
    const a1 = rows.find((r) => r['poNumber'] === 'PO-A1')!;
    expect(a1).toMatchObject({
      mediaBuyId: orders.ids.a1,
      status: 'delivering',
      buyerCustomerId: String(a),
      brandDomain: 'acmeoutdoor.example',
      budget: '2800',
      currency: 'USD',
      sourceIds: 'avails',
      deliveredSpend: '14',
      deliveredImpressions: '1000',
      agencyEstimateNumber: 'EST-9',
    });
    expect(Number(a1['openWorkItems'])).toBeGreaterThan(0);
    const forged = path.replace(/signature=[^&]+/, 'signature=AAAA');
    expect((await h.call('GET', forged)).status).toBe(403);
  });
});

describe('another storefront', () => {
  it('lists none of these buys, exports none, and reads none of their timelines', async () => {
    const other = await createCustomer(h, { role: 'SELLER' });
    const made = await h.call('PUT', '/api/v2/storefront', {
      key: other.key,
      body: { defaultCurrency: 'USD' },
    });
    expect(made.status, made.text).toBe(200);
    const theirs = await list('', other.key);
    expect(theirs.status, theirs.text).toBe(200);
    expect(theirs.body.data.items).toEqual([]);
    const exported = await h.call('GET', '/api/v2/storefront/media-buys/export', {
      key: other.key,
    });
    expect(exported.body.data.rowCount).toBe(0);
    const csv = await h.call('GET', pathOf(exported.body.data.downloadUrl));
    expect(csvRows(csv.text)).toEqual([]);
    const timeline = await h.call(
      'GET',
      `/api/v2/storefront/media-buys/${orders.ids.a1}/timeline`,
      { key: other.key },
    );
    expect(timeline.status).toBe(404);
    expect(timeline.body.error.code).toBe('NOT_FOUND');
    // A buyer's key is not a seller's.
    const asBuyer = await list('', orders.a.customer.key);
    expect(asBuyer.status).toBe(403);
  });
});
