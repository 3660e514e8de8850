import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubmittedBuy } from '../../src/modules/orders/index.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * A publisher reads what its storefront's media buys delivered (as the storefront agent relayed
 * its sources' reports) in the console: plots and a table for a period and a source, and the
 * same rows as CSV through the API's signed download. Another storefront's buys never show.
 */
let h: Harness;
let seller: TestCustomer;
let other: TestCustomer;
let buyer: TestCustomer;
let base: string;
let b: ConsoleBrowser;

const storefrontOf = async (customer: TestCustomer): Promise<number> =>
  (await h.call('GET', '/api/v2/storefront', { key: customer.key })).body.data.id;

/** A buy forwarded to one source, and the cumulative delivery reports the agent relayed. */
async function deliveredBuy(
  storefrontId: number,
  mediaBuyId: string,
  sourceId: string,
  reports: Array<{ impressions: number; spend: number }>,
) {
  const row = await h.services.mediaBuys.createRecord({
    storefrontId,
    buyerCustomerId: buyer.id,
    mediaBuyId,
    accountId: 'acc',
    idempotencyKey: `idem-${mediaBuyId}`,
    submittedPayload: { packages: [{ product_id: 'p1', budget: 1000 }] } as unknown as SubmittedBuy,
    approvalMode: 'auto',
    forwardOutcome: 'all_completed',
    forwardResult: [{ sourceId, status: 'completed', upstreamMediaBuyId: `up-${mediaBuyId}` }],
    forwardedAt: new Date(),
  });
  await h.services.mediaBuys.event(row, 'media_buy_forwarded', {});
  for (const report of reports) {
    await h.services.mediaBuys.event(row, 'delivery_reported', { ...report, currency: 'USD' });
  }
}

beforeAll(async () => {
  h = await createHarness();
  seller = await createCustomer(h, { role: 'SELLER', name: 'Harbour Gazette' });
  other = await createCustomer(h, { role: 'SELLER', name: 'Other Times' });
  buyer = await createCustomer(h, { role: 'BUYER', name: 'Northwind Agency' });
  const mine = await storefrontOf(seller);
  for (const [sourceId, name] of [
    ['display-agent', 'Display agent'],
    ['video-agent', 'Video agent'],
  ] as const) {
    const created = await h.call('POST', '/api/v2/storefront/inventory-sources', {
      key: seller.key,
      body: {
        name,
        sourceId,
        endpointUrl: `https://${sourceId}.example/mcp`,
        protocol: 'MCP',
        authenticationType: 'NO_AUTH',
      },
    });
    expect(created.status, created.text).toBe(201);
  }
  await deliveredBuy(mine, 'mb_display', 'display-agent', [
    { impressions: 1000, spend: 10 },
    { impressions: 4000, spend: 40 },
  ]);
  await deliveredBuy(mine, 'mb_video', 'video-agent', [{ impressions: 1500, spend: 22.5 }]);
  await deliveredBuy(await storefrontOf(other), 'mb_elsewhere', 'display-agent', [
    { impressions: 9999, spend: 99 },
  ]);
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  b = await openConsoleBrowser('seller-reporting', { width: 1280, height: 900 });
}, 60_000);
afterAll(async () => {
  await b?.close();
  await h?.close();
});

describe('a publisher reads its storefront’s delivery in the console', () => {
  it('signs in and reads the delivery as plots and a table, without another storefront’s buys', async () => {
    const { page } = b;
    await page.goto(`${base}/console`);
    await page.fill('#apiKey', seller.key);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/console`);
    await page.click('nav.sections >> text=Reporting');
    await page.waitForSelector('canvas[data-chart="impressions-by-buy"][data-drawn="true"]');
    for (const id of ['spend-by-day', 'impressions-by-day', 'spend-by-buy', 'impressions-by-buy']) {
      expect(await page.getAttribute(`canvas[data-chart="${id}"]`, 'data-drawn'), id).toBe('true');
    }
    const totals = await page.textContent('#totals-h + *');
    expect(totals).toContain('5500');
    const rows = await page.textContent('main');
    expect(rows).toContain('mb_display');
    expect(rows).toContain('mb_video');
    expect(rows).toContain('Northwind Agency');
    expect(rows).not.toContain('mb_elsewhere');
    expect(rows).not.toContain('9999');
    expect(await page.textContent('#chart-impressions-by-buy-table')).toContain('4000');
    await b.shot('1-report');
    await expectAccessible(b);
  });

  it('narrows the report to one source and exports those rows as CSV', async () => {
    const { page } = b;
    await page.getByLabel('Inventory source').selectOption({ label: 'Video agent' });
    await page.click('button:has-text("Show")');
    await page.waitForURL(/inventorySourceId=video-agent/);
    const main = await page.textContent('main');
    expect(main).toContain('mb_video');
    expect(main).not.toContain('mb_display');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Export CSV")'),
    ]);
    const [header, ...lines] = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(header).toContain('impressions');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('mb_video');
    expect(lines[0]).toContain('1500');
    expect(download.suggestedFilename()).toMatch(/^storefront-reporting-.*\.csv$/);
  });

  it('fits a 375 px screen and loads nothing from another origin', async () => {
    const { page } = b;
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${base}/console/storefront-reporting?days=7`);
    await expectNoSidewaysScroll(page);
    await b.shot('2-report-375');
    expect(b.requests.filter((url) => !url.startsWith(base))).toEqual([]);
    expect(b.problems).toEqual([]);
  });

  it('dates each row by the day delivered, with its clicks, and reads a canceled buy as canceled', async () => {
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const row = await h.services.mediaBuys.createRecord({
      storefrontId: await storefrontOf(seller),
      buyerCustomerId: buyer.id,
      mediaBuyId: 'mb_daily',
      accountId: 'acc',
      idempotencyKey: 'idem-mb_daily',
      submittedPayload: {
        packages: [{ product_id: 'p1', budget: 1000 }],
      } as unknown as SubmittedBuy,
      approvalMode: 'auto',
      forwardOutcome: 'all_completed',
      // The buyer canceled it after it delivered: its source says so.
      forwardResult: [
        {
          sourceId: 'display-agent',
          status: 'completed',
          upstreamMediaBuyId: 'up-mb_daily',
          mediaBuyStatus: 'canceled',
        },
      ],
      forwardedAt: new Date(),
    });
    // Reported today, by its source, for the two days it delivered.
    await h.services.mediaBuys.event(row, 'delivery_reported', {
      impressions: 1000,
      clicks: 10,
      spend: 10,
      currency: 'USD',
    });
    await h.services.mediaBuys.recordDeliveryDays(
      row,
      [
        {
          packageId: 'display-agent__p1',
          currency: 'USD',
          days: [
            { day: day(-2), impressions: 700, spend: 7, clicks: 7 },
            { day: day(-1), impressions: 300, spend: 3, clicks: 3 },
          ],
        },
      ],
      new Date(),
    );
    const { page } = b;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/console/storefront-reporting?days=7&inventorySourceId=display-agent`);
    const daily = page.locator('table', { hasText: 'mb_daily' }).last();
    const cells = await daily
      .locator('tr', { hasText: 'mb_daily' })
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td, th')].map((c) => c.textContent?.trim())),
      );
    const headers = await daily.locator('thead th').allTextContents();
    const at = (name: string) => headers.indexOf(name);
    expect(at('Clicks'), headers.join('|')).toBeGreaterThan(-1);
    expect(
      cells.map((c) => [c[0], c[at('Impressions')], c[at('Clicks')], c[at('Status')]]),
    ).toEqual([
      [day(-2), '700', '7', 'canceled'],
      [day(-1), '300', '3', 'canceled'],
    ]);
    expect(await page.textContent('#totals-h + *')).toContain('Clicks');
    await b.shot('3-report-by-day');
    await expectAccessible(b);
  });
});
