import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../agents/storefront-agent-support.js';
import { createHarness, type Harness } from '../harness.js';
import { threeOrders } from '../modules/order-views/orders-support.js';
import { consoleClient } from './console-client.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * A publisher runs the day from the console on a phone and a laptop: the header leaves the phone
 * its screen, the Orders page lists every buy with its buyer, PO, pacing and open work, filters
 * and exports them; the source's booking ledger shows capacity by week, the holds and what booked
 * them, and exports; the Sessions page pages 30 sign-ins. Each page at 375 and 1280 px, axe-core
 * clean, nothing asked of another origin.
 */
let h: Harness;
let base: string;
let b: ConsoleBrowser;
let orders: Awaited<ReturnType<typeof threeOrders>>;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  orders = await threeOrders(h, base);
  const held = await h.call(
    'POST',
    '/api/v2/storefront/inventory-sources/avails/modular/reservations',
    {
      key: orders.sf.seller.key,
      body: {
        availId: 'spring',
        mediaBuyId: 'deal-7',
        buyerCustomerId: orders.b.customer.id,
        requestedImpressions: 30_000,
        holdMinutes: 90,
      },
    },
  );
  if (held.status !== 201) throw new Error(held.text);
  // Thirty earlier sign-ins: more sessions than one page holds.
  const { signIn } = consoleClient(() => h.app);
  for (let i = 0; i < 30; i++) {
    await signIn(orders.sf.seller.key, h.app, { 'user-agent': `Old browser ${i}` });
  }
  b = await openConsoleBrowser('orders', { width: 375, height: 667 });
}, 240_000);
afterAll(async () => {
  await orders?.close();
  await b?.close();
  await h?.close();
});

/** The page as it is now at 375 and 1280 px (axe-core clean, no sideways scroll), then 375. */
async function checkPage(name: string) {
  for (const width of [375, 1280]) {
    await b.page.setViewportSize({ width, height: width === 375 ? 667 : 800 });
    await b.shot(`${name}-${width}`);
    await expectAccessible(b);
    await expectNoSidewaysScroll(b.page);
  }
  await b.page.setViewportSize({ width: 375, height: 667 });
}

const orderRows = () => b.page.locator('table', { hasText: 'Orders' }).locator('tbody tr');

describe('running the storefront from the console', () => {
  it('keeps the header to a small part of a phone’s screen', async () => {
    const { page } = b;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(orders.sf.seller.key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);
    const header = await page.locator('header.top').boundingBox();
    // It took a third of a 375 × 667 screen (about 220 px): now two short lines.
    expect(header!.height).toBeLessThanOrEqual(110);
    await expectNoSidewaysScroll(page);
  });

  it('lists every order with buyer, PO, flight, budget, source, pacing and open work', async () => {
    const { page } = b;
    await page.click('nav a:has-text("Orders")');
    await page.waitForURL(`${base}/console/orders`);
    expect(await orderRows().count()).toBe(3);
    const a1 = (await orderRows().filter({ hasText: 'PO-A1' }).textContent())!;
    expect(a1).toContain(orders.ids.a1);
    expect(a1).toContain('Estimate EST-9');
    expect(a1).toContain('acmeoutdoor.example');
    expect(a1).toContain('delivering');
    expect(a1).toContain('2,800 USD');
    expect(a1).toContain('Print and radio avails');
    expect(a1).toContain('14 USD delivered');
    expect(a1).toContain('1,000 impressions');
    // 14 USD delivered seconds into a 20-day flight: far ahead, said so (it read "994091% of pace").
    expect(a1).toContain('over 10× pace, ahead');
    expect(a1).toMatch(/[1-9]\d* open/);
    await checkPage('01-orders');
  });

  it('filters by buyer from the keyboard, and exports what it shows as CSV', async () => {
    const { page } = b;
    await page.selectOption('#o-buyer', String(orders.b.customer.id));
    await b.tabTo('form.filters button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/buyerCustomerId=/);
    expect(await orderRows().count()).toBe(1);
    expect(await orderRows().textContent()).toContain('PO-B1');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Export CSV")'),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('PO-B1');
    await checkPage('02-orders-filtered');
  });

  it('shows the source’s ledger: capacity by week, the hold and its expiry, what booked it', async () => {
    const { page } = b;
    await page.goto(`${base}/console/sources/avails`);
    await page.click('a:has-text("Booking ledger")');
    await page.waitForURL(`${base}/console/sources/avails/ledger`);
    const avail = page
      .locator('table', { hasText: 'Avails and their capacity' })
      .locator('tbody tr');
    expect(await avail.count()).toBe(1);
    // Three buys of 2,800 at CPM 14 (200,000 each) booked; 30,000 held for a deal.
    const text = (await avail.textContent())!;
    expect(text).toContain('5,000,000');
    expect(text).toContain('600,000');
    expect(text).toContain('30,000');
    expect(text).toContain('4,370,000');
    const hold = (await page
      .locator('table', { hasText: 'Holds' })
      .locator('tbody tr')
      .textContent())!;
    expect(hold).toContain('deal-7');
    expect(hold).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    const booked = page.locator('table', { hasText: 'Bookings, newest first' }).locator('tbody tr');
    expect(await booked.count()).toBe(3);
    expect(await booked.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('PO PO-A1')]),
    );
    // The weeks open from the keyboard.
    await b.tabTo('details.weeks summary');
    await page.keyboard.press('Enter');
    const weeks = page.locator('details.weeks table tbody tr');
    expect(await weeks.count()).toBeGreaterThanOrEqual(1);
    await checkPage('03-ledger');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Bookings (CSV)")'),
    ]);
    const rows = (await readFile((await download.path())!, 'utf8')).trim().split('\r\n');
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.includes(',HELD,'))).toHaveLength(1);
  });

  it('pages the Sessions page', async () => {
    const { page } = b;
    await page.click('nav a:has-text("Sessions")');
    await page.waitForURL(`${base}/console/sessions`);
    const rows = page.locator('table', { hasText: 'Console sessions' }).locator('tbody tr');
    expect(await rows.count()).toBe(25);
    expect(await rows.first().textContent()).toContain('this session');
    expect(await page.textContent('nav.pager')).toContain('Showing 1–25 of 31 sessions.');
    await checkPage('04-sessions');
    await page.click('nav.pager a:has-text("Next page")');
    await page.waitForURL(`${base}/console/sessions?offset=25`);
    expect(await rows.count()).toBe(6);
    expect(await page.textContent('nav.pager')).toContain('Showing 26–31 of 31 sessions.');
    expect(await rows.allTextContents()).not.toEqual(
      expect.arrayContaining([expect.stringContaining('this session')]),
    );
    await checkPage('05-sessions-2');
  });

  it('loaded nothing from another origin', () => {
    expect(b.requests.filter((url) => !url.startsWith(base))).toEqual([]);
    expect(b.problems).toEqual([]);
  });
});
