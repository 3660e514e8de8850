import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../agents/storefront-agent-support.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import type { NotificationEvent } from '../../src/modules/notifications/index.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * A seller and a buyer each find what the system told them in their console's Inbox: a count on
 * the navigation, the notifications newest first 20 to a page, each marked read on its own or
 * all at once. Checked at 375 and 1280 px, accessible, nothing fetched from another origin.
 */
let h: Harness;
let base: string;
let b: ConsoleBrowser;
let seller: TestCustomer;
let buyer: TestCustomer;

const tell = (customer: TestCustomer, overrides: Partial<NotificationEvent>) =>
  h.services.notifications.notify({
    customerId: customer.id,
    type: 'source.action_required',
    status: 'warning',
    message: 'New work item',
    actionUrl: '/console/reviews',
    eventKey: randomUUID(),
    ...overrides,
  });

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await createCustomer(h, { role: 'SELLER', name: 'Inbox Publisher' });
  buyer = await createCustomer(h, { role: 'BUYER', name: 'Inbox Agency' });
  for (let i = 1; i <= 25; i++) await tell(seller, { message: `Work item number ${i}` });
  await tell(buyer, {
    type: 'media_buy.approved',
    status: 'success',
    message: 'The seller approved media buy mb_inbox.',
    actionUrl: '/console/inbox',
  });
  b = await openConsoleBrowser('inbox', { width: 375, height: 800 });
}, 180_000);
afterAll(async () => {
  await b?.close();
  await h?.close();
});

async function checkPage(name: string) {
  for (const width of [375, 1280]) {
    await b.page.setViewportSize({ width, height: 800 });
    await b.shot(`${name}-${width}`);
    await expectAccessible(b);
    await expectNoSidewaysScroll(b.page);
  }
  await b.page.setViewportSize({ width: 375, height: 800 });
}

async function signIn(key: string) {
  const { page } = b;
  await page.context().clearCookies();
  await page.goto(`${base}/console/sign-in`);
  await page.getByLabel('API key').fill(key);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL(`${base}/console`);
}

const badge = () => b.page.locator('nav.sections a[href="/console/inbox"] .badge');
const rows = () => b.page.locator('table', { hasText: 'Notifications' }).locator('tbody tr');

describe('the seller’s inbox', () => {
  it('counts unread notifications on the navigation and pages them newest first', async () => {
    await signIn(seller.key);
    expect(await badge().textContent()).toBe('25');
    await b.page.click('nav a:has-text("Inbox")');
    await b.page.waitForURL(`${base}/console/inbox`);
    expect(await rows().count()).toBe(20);
    expect(await rows().first().textContent()).toContain('Work item number 25');
    expect(await b.page.textContent('main')).toContain('25 unread of 25');
    await checkPage('01-seller-inbox');
    await b.page.click('a[rel="next"]');
    await b.page.waitForURL(`${base}/console/inbox?offset=20`);
    expect(await rows().count()).toBe(5);
    expect(await rows().last().textContent()).toContain('Work item number 1');
  });

  it('marks one read, then all', async () => {
    await b.page.goto(`${base}/console/inbox`);
    await rows().first().locator('button:has-text("Mark read")').click();
    await b.page.waitForURL(/\/console\/inbox\?notice=notification-read/);
    expect(await badge().textContent()).toBe('24');
    expect(await rows().first().textContent()).toContain('read');
    expect(await rows().first().locator('button').count()).toBe(0);
    await b.page.click('button:has-text("Mark all read")');
    await b.page.waitForURL(/notice=notifications-read/);
    expect(await b.page.textContent('main')).toContain('24 notifications marked read');
    expect(await badge().count()).toBe(0);
    await checkPage('02-seller-all-read');
  });
});

describe('the buyer’s inbox', () => {
  it('lists what the buyer was told, apart from the seller’s', async () => {
    await signIn(buyer.key);
    expect(await badge().textContent()).toBe('1');
    await b.page.click('nav a:has-text("Inbox")');
    await b.page.waitForURL(`${base}/console/inbox`);
    expect(await rows().count()).toBe(1);
    expect(await rows().first().textContent()).toContain('approved media buy mb_inbox');
    await checkPage('03-buyer-inbox');
    await rows().first().locator('button:has-text("Mark read")').click();
    await b.page.waitForURL(/notice=notification-read/);
    expect(await badge().count()).toBe(0);
    // Nothing left the server's own origin.
    expect(b.requests.filter((url) => !url.startsWith(base))).toEqual([]);
    expect(b.problems).toEqual([]);
  });
});
