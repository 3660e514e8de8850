import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentClient, listen } from '../agents/storefront-agent-support.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  availRow,
  commitCsv,
  day,
  header,
  modularStorefront,
} from '../modules/modular-sources/support.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * A publisher who confirms bookings by hand opens the console on a phone and learns that a
 * buyer's booking waits on them: the home page and the review queues count it and list it, and
 * the item says whose buy it is, for which brand and PO, how much, when, and by when the hold
 * must be confirmed. The buyer who placed it over MCP finds it in its own console. Each page is
 * checked at 375 and 1280 px.
 */
let h: Harness;
let base: string;
let b: ConsoleBrowser;
let seller: { key: string };
let buyerKey: string;
let itemId: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  const sf = await modularStorefront(h, {
    booking: { mode: 'manual' },
    execution: { mode: 'upstream_system', systemName: 'GAM' },
  });
  seller = sf.seller;
  await commitCsv(h, seller.key, sf.sourceId, `${header}\n${availRow('hp', 500_000)}`);
  const agency = `agency-${randomUUID().slice(0, 8)}.example`;
  const buyer = await createCustomer(h, { role: 'BUYER', name: 'Northwind Media', domain: agency });
  buyerKey = buyer.key;
  const account = { brand: { domain: 'acmeoutdoor.example' }, operator: agency };
  const agent = await agentClient(base, sf.platformId, buyer.key);
  try {
    const product = (
      await agent.call('get_products', { buying_mode: 'brief', brief: 'homepage', account })
    ).products[0];
    const created = await agent.call('create_media_buy', {
      idempotency_key: randomUUID(),
      account,
      brand: { domain: 'acmeoutdoor.example' },
      po_number: 'PO-4471',
      start_time: day(1),
      end_time: day(15),
      packages: [
        {
          product_id: product.product_id,
          pricing_option_id: product.pricing_options[0].pricing_option_id,
          budget: 2_000,
        },
      ],
    });
    if (created.status !== 'submitted') throw new Error(JSON.stringify(created));
  } finally {
    await agent.close();
  }
  const items = await h.call(
    'GET',
    '/api/v2/storefront/inventory-sources/avails/modular/work-items',
    {
      key: seller.key,
    },
  );
  itemId = items.body.data.items[0].id;
  b = await openConsoleBrowser('work-items', { width: 375, height: 800 });
}, 180_000);
afterAll(async () => {
  await b?.close();
  await h?.close();
});

/** The page as it is now, on a phone (375 px) and on a laptop (1280 px), then back to 375. */
async function checkPage(name: string) {
  for (const width of [375, 1280]) {
    await b.page.setViewportSize({ width, height: 800 });
    await b.shot(`${name}-${width}`);
    await expectAccessible(b);
    await expectNoSidewaysScroll(b.page);
  }
  await b.page.setViewportSize({ width: 375, height: 800 });
}

describe('a booking waiting on the publisher, in the console', () => {
  it('is counted and listed on the console home', async () => {
    const { page } = b;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(seller.key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);
    const waiting = page.locator('section[aria-labelledby="waiting-h"]');
    expect(await waiting.locator('h2').textContent()).toBe('Waiting on you (1)');
    expect(await page.textContent('#open-work-total')).toBe('1');
    expect(await waiting.textContent()).toContain('Booking confirmations: 1');
    expect(await waiting.textContent()).toContain('Confirm the avails of media buy');
    await checkPage('01-home');
  });

  it('is counted and listed in the review queues, with whose buy it is', async () => {
    const { page } = b;
    await page.click('nav a:has-text("Review queues")');
    await page.waitForURL(`${base}/console/reviews`);
    expect(await page.textContent('#waiting-summary')).toContain('1 work item');
    expect(await page.textContent('#work-h')).toBe('Work items waiting on you (1)');
    const row = page.locator('table', { hasText: 'Open work items' }).locator('tbody tr');
    expect(await row.count()).toBe(1);
    const text = (await row.textContent())!;
    expect(text).toContain('Northwind Media');
    expect(text).toContain('PO PO-4471');
    expect(text).toContain('2,000 USD');
    expect(text).toContain('Print and radio avails');
    await checkPage('02-reviews');
  });

  it('shows the buyer, brand, budget, flight, PO, products and the hold’s deadline on the item', async () => {
    const { page } = b;
    await page.locator('table', { hasText: 'Open work items' }).locator('tbody tr a').click();
    await page.waitForURL(`${base}/console/sources/avails/work#item-${itemId}`);
    const item = page.locator(`#item-${itemId}`);
    const facts = Object.fromEntries(
      await item
        .locator('dl.facts dt')
        .evaluateAll((dts) =>
          dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent ?? null]),
        ),
    );
    expect(facts).toMatchObject({
      Buyer: 'Northwind Media',
      Brand: 'acmeoutdoor.example',
      PO: 'PO-4471',
      Budget: '2,000 USD',
      Flight: `${day(1).slice(0, 10)} → ${day(15).slice(0, 10)}`,
      Products: expect.stringContaining('Homepage takeover hp'),
      'Hold expires': expect.stringMatching(
        /UTC \(the capacity goes back on sale unless confirmed\)/,
      ),
    });
    expect(facts['Products']).toContain('100,000 impressions');
    await checkPage('03-item');
  });

  it('is in the buyer’s console, though the buyer placed it over MCP', async () => {
    const { page } = b;
    await page.context().clearCookies();
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(buyerKey);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);
    expect(await page.textContent('#media-buy-total')).toBe('1');
    const recent = page.locator('table', { hasText: 'Recent media buys' }).locator('tbody tr');
    expect(await recent.count()).toBe(1);
    await checkPage('04-buyer-home');
    await page.click('nav a:has-text("Media buys")');
    await page.waitForURL(`${base}/console/media-buys`);
    const row = page.locator('table', { hasText: 'Media buys' }).locator('tbody tr');
    expect(await row.count()).toBe(1);
    const text = (await row.textContent())!;
    expect(text).toContain('PO-4471');
    expect(text).toContain('Storefront agent (MCP/A2A)');
    expect(text).toContain('acmeoutdoor.example');
    expect(text).toContain('pending approval');
    expect(text).toContain('2,000 USD');
    await checkPage('05-buyer-buys');
  });

  it('loaded nothing from another origin', () => {
    expect(b.requests.filter((url) => !url.startsWith(base))).toEqual([]);
    expect(b.problems).toEqual([]);
  });
});
