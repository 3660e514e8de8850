import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { agencyBuying, agentClient, listen } from '../../agents/storefront-agent-support.js';
import { csvRows, pathOf } from '../order-views/orders-support.js';
import { commitCsv, day, header, modularStorefront, sources } from './support.js';

/**
 * The booking ledger as its operator reads it (GET …/{sourceId}/modular/ledger): capacity, held,
 * booked and available per avail and by week, holds with their expiry and what holds them,
 * bookings and what booked them; CSV exports of avails, bookings and work items.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Figures = {
  capacity: number;
  upstreamBooked: number;
  held: number;
  booked: number;
  available: number;
};

/** A storefront selling avail `print` (1M impressions, CPM 20, 15 days), a buy and a deal's hold. */
async function ledgerWithWork() {
  const sf = await modularStorefront(h);
  const row = `print,Print spread,print,display,${day(-1)},${day(14)},1000000,20,USD,display_300x250,news.example`;
  await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${row}`);
  const { buyer, account } = await agencyBuying(h);
  const agent = await agentClient(base, sf.platformId, buyer.key);
  try {
    const found = await agent.call('get_products', {
      buying_mode: 'brief',
      brief: 'print',
      account,
    });
    const product = found.products[0];
    // $1,000 at CPM 20: 50,000 impressions, booked at once by the built-in ledger.
    const created = await agent.call('create_media_buy', {
      idempotency_key: randomUUID(),
      account,
      brand: { domain: 'acmeoutdoor.example' },
      po_number: 'PO-4471',
      start_time: 'asap',
      end_time: day(10),
      packages: [
        {
          product_id: product.product_id,
          pricing_option_id: product.pricing_options[0].pricing_option_id,
          budget: 1_000,
        },
      ],
    });
    expect(created.isError, JSON.stringify(created)).toBe(false);
  } finally {
    await agent.close();
  }
  // A deal struck outside the storefront holds 30,000 for an hour.
  const held = await h.call('POST', `${sources}/${sf.sourceId}/modular/reservations`, {
    key: sf.seller.key,
    body: {
      availId: 'print',
      mediaBuyId: 'deal-7',
      buyerCustomerId: buyer.id,
      requestedImpressions: 30_000,
      holdMinutes: 60,
    },
  });
  expect(held.status, held.text).toBe(201);
  return { sf, buyer };
}

const sum = (rows: Figures[], key: keyof Figures) => rows.reduce((n, r) => n + r[key], 0);

describe('the ledger', () => {
  it('shows capacity, held, booked and available per avail and by week, holds with expiry and bookings with their buy', async () => {
    const { sf, buyer } = await ledgerWithWork();
    const res = await h.call('GET', `${sources}/${sf.sourceId}/modular/ledger`, {
      key: sf.seller.key,
    });
    expect(res.status, res.text).toBe(200);
    const ledger = res.body.data;
    expect(ledger.availsTotal).toBe(1);
    const [avail] = ledger.avails;
    expect(avail).toMatchObject({
      availId: 'print',
      capacity: 1_000_000,
      held: 30_000,
      booked: 50_000,
      available: 920_000,
    });
    // 15 days reach over three or four weeks, each starting on a Monday; they add up.
    expect(avail.weeks.length).toBeGreaterThanOrEqual(3);
    for (const w of avail.weeks) expect(new Date(`${w.weekStart}T00:00:00Z`).getUTCDay()).toBe(1);
    for (const key of ['capacity', 'held', 'booked', 'available'] as const) {
      expect(sum(avail.weeks, key), key).toBe(avail[key]);
    }
    expect(ledger.holds).toHaveLength(1);
    expect(ledger.holds[0]).toMatchObject({
      status: 'HELD',
      mediaBuyId: 'deal-7',
      requestedImpressions: 30_000,
      buyer: { customerId: buyer.id },
    });
    const expires = Date.parse(ledger.holds[0].holdExpiresAt);
    expect(expires).toBeGreaterThan(Date.now() + 55 * 60_000);
    expect(expires).toBeLessThan(Date.now() + 61 * 60_000);
    expect(ledger.bookings).toHaveLength(1);
    expect(ledger.bookings[0]).toMatchObject({
      status: 'BOOKED',
      requestedImpressions: 50_000,
      poNumber: 'PO-4471',
      brandDomain: 'acmeoutdoor.example',
      buyer: { customerId: buyer.id },
    });
    expect(ledger.bookings[0].buyer.name).toBeTruthy();
  }, 120_000);

  it('exports avails by week, bookings and work items as CSV through signed links', async () => {
    const { sf } = await ledgerWithWork();
    const exportOf = async (table: string) => {
      const res = await h.call(
        'GET',
        `${sources}/${sf.sourceId}/modular/ledger/export?table=${table}`,
        {
          key: sf.seller.key,
        },
      );
      expect(res.status, res.text).toBe(200);
      const csv = await h.call('GET', pathOf(res.body.data.downloadUrl));
      expect(csv.status, csv.text).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      return { path: pathOf(res.body.data.downloadUrl), rows: csvRows(csv.text) };
    };
    const avails = await exportOf('avails');
    expect(avails.rows.length).toBeGreaterThanOrEqual(3);
    expect(avails.rows.every((r) => r['availId'] === 'print')).toBe(true);
    expect(avails.rows.reduce((n, r) => n + Number(r['capacity']), 0)).toBe(1_000_000);
    expect(avails.rows.reduce((n, r) => n + Number(r['held']), 0)).toBe(30_000);
    const bookings = await exportOf('bookings');
    expect(bookings.rows.map((r) => [r['status'], r['requestedImpressions']]).sort()).toEqual([
      ['BOOKED', '50000'],
      ['HELD', '30000'],
    ]);
    const work = await exportOf('work-items');
    const queue = await h.call('GET', `${sources}/${sf.sourceId}/modular/work-items?limit=100`, {
      key: sf.seller.key,
    });
    expect(work.rows.length).toBeGreaterThan(0);
    expect(work.rows.filter((r) => r['status'] === 'OPEN').length).toBe(
      queue.body.data.items.filter((i: { status: string }) => i.status === 'OPEN').length,
    );
    const forged = avails.path.replace(/signature=[^&]+/, 'signature=AAAA');
    expect((await h.call('GET', forged)).status).toBe(403);
    const bad = await h.call(
      'GET',
      `${sources}/${sf.sourceId}/modular/ledger/export?table=everything`,
      {
        key: sf.seller.key,
      },
    );
    expect(bad.status, bad.text).toBe(400);
    expect(bad.body.error.field).toBe('table');
  }, 120_000);

  it('is not found for another storefront, nor its exports', async () => {
    const { sf } = await ledgerWithWork();
    const other = await createCustomer(h, { role: 'SELLER' });
    await h.call('PUT', '/api/v2/storefront', { key: other.key, body: { defaultCurrency: 'USD' } });
    for (const path of ['ledger', 'ledger/export?table=bookings']) {
      const res = await h.call('GET', `${sources}/${sf.sourceId}/modular/${path}`, {
        key: other.key,
      });
      expect(res.status, res.text).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  }, 120_000);
});
