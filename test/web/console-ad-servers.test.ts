import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../agents/storefront-agent-support.js';
import { startFakeGam, type FakeGam } from '../../src/sandbox/fakes/gam/server.js';
import { startFakeSpringServe } from '../../src/sandbox/fakes/springserve/server.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { adServerSeller, bookSports, openStorefront } from '../modules/ad-servers/support.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/*
 * A publisher connects its Google Ad Manager network from the console, in headless Chromium,
 * against the fake Ad Manager on a real socket: the form refuses a wrong network code and a file
 * that is not a key at their fields; connected with the key file, the page says the key is
 * configured and never shows it; the seller tests the connection, starts a sync and follows it,
 * sees the products the synced placements make, then a buyer's order waiting for the seller's
 * approval and, approved, waiting for Ad Manager's own approver. The page is never the agent
 * page; each page axe-core clean at 375 and 1280 px; nothing asked of another origin.
 */

let gam: FakeGam;
let ss: Awaited<ReturnType<typeof startFakeSpringServe>>;
let h: Harness;
let base: string;
let b: ConsoleBrowser;
let sf: { seller: TestCustomer; id: number; platformId: string };
const networkCode = '21700001';
const files = mkdtempSync(join(tmpdir(), 'console-gam-'));
let keyFile: string;
let privateKey: string;

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 30 });
  gam.holdOrdersForApproval = true;
  ss = await startFakeSpringServe({ supplyTags: 5 });
  h = await createHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
    INTERCHANGE_SPRINGSERVE_URL: ss.url,
    INTERCHANGE_AD_SERVER_ORDER_POLL_SECONDS: '1',
  });
  await h.services.jobs.start();
  base = await listen(h);
  sf = await adServerSeller(h, 'manual');
  const key = gam.serviceAccount([networkCode]);
  privateKey = key['private_key']!;
  keyFile = join(files, 'service-account.json');
  writeFileSync(keyFile, JSON.stringify(key, null, 2));
  writeFileSync(join(files, 'notes.json'), 'this is not JSON {');
  writeFileSync(join(files, 'not-a-key.json'), JSON.stringify({ hello: 'world' }));
  b = await openConsoleBrowser('ad-servers', { width: 1280, height: 900 });
  b.page.setDefaultTimeout(20_000);
}, 180_000);
afterAll(async () => {
  await b?.close();
  await h?.close();
  await gam?.close();
  await ss?.close();
});

/** The page as it is now at 375 and 1280 px (axe-core clean, no sideways scroll). */
async function checkPage(name: string) {
  for (const width of [375, 1280]) {
    await b.page.setViewportSize({ width, height: width === 375 ? 667 : 900 });
    await b.shot(`${name}-${width}`);
    await expectAccessible(b);
    await expectNoSidewaysScroll(b.page);
  }
}

/** Fills the Ad Manager form on /console/sources/new and submits it with `file`. */
async function submitGam(fields: { networkCode: string; file?: string }) {
  const { page } = b;
  await page.goto(`${base}/console/sources/new`);
  await page.click('summary:has-text("Google Ad Manager")');
  await page.fill('#connect-gam-name', 'Our Ad Manager');
  await page.fill('#connect-gam-sourceId', 'gam');
  await page.fill('#connect-gam-networkCode', fields.networkCode);
  await page.fill('#connect-gam-publisherDomain', 'sportsnews.example');
  if (fields.file) await page.setInputFiles('#connect-gam-file', fields.file);
  await page.click('#connect-gam button[type="submit"]');
  await page.waitForLoadState('load');
}

const fieldError = (id: string) => b.page.locator(`#connect-gam-${id}-error`);

describe('an ad-server source in the console', { timeout: 120_000 }, () => {
  it('refuses a wrong network code and a file that is no key, each at its field', async () => {
    const { page } = b;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(sf.seller.key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);

    await submitGam({ networkCode: 'ad-manager-7', file: keyFile });
    expect(await fieldError('networkCode').textContent()).toContain('1-32 digits');
    // What was typed is kept; nothing was created.
    expect(await page.inputValue('#connect-gam-networkCode')).toBe('ad-manager-7');
    await checkPage('01-wrong-network-code');

    await submitGam({ networkCode, file: join(files, 'notes.json') });
    expect(await fieldError('file').textContent()).toContain('not JSON');
    await submitGam({ networkCode, file: join(files, 'not-a-key.json') });
    // The API's own judgement of the key (serviceAccountKey.client_email), at the file field.
    expect(await fieldError('file').textContent()).toMatch(/client_email|expected/i);

    const listed = await h.call('GET', '/api/v2/storefront/inventory-sources', {
      key: sf.seller.key,
    });
    expect(listed.body.data).toEqual([]);
  });

  it('connects Ad Manager with the key file; the key is configured, never shown', async () => {
    const { page } = b;
    await submitGam({ networkCode, file: keyFile });
    await page.waitForURL(/\/console\/sources\/gam\?notice=ad-server-connected/);
    const html = await page.content();
    expect(html).not.toContain('PRIVATE KEY');
    expect(html).not.toContain(privateKey.slice(60, 100));
    const connection = await page.textContent('section[aria-labelledby="ad-server-h"]');
    expect(connection).toContain(networkCode);
    expect(connection).toContain('key configured');
    expect(connection).toContain('active');
    // Not the agent page: no endpoint, protocol or credential form of an agent.
    expect(html).not.toContain('no endpoint yet');
    expect(await page.locator('dt:text-is("Agent")').count()).toBe(0);
    expect(await page.locator('#credential').count()).toBe(0);
    expect(await page.locator('#source-test').count()).toBe(0);
    expect(await page.textContent('main')).toContain('Served by');
  });

  it('tests the connection and starts a sync it can follow to the products', async () => {
    const { page } = b;
    await page.click('#ad-server-test button[type="submit"]');
    await page.waitForURL(/notice=ad-server-test-passed/);
    expect(await page.textContent('.flash')).toContain('the connection works');

    await page.click('#ad-server-sync button[type="submit"]');
    await page.waitForURL(/notice=ad-server-sync-(started|running)/);
    const runs = page.locator('table', { hasText: 'Sync runs' }).locator('tbody tr');
    const until = Date.now() + 60_000;
    while ((await runs.first().textContent())?.includes('running')) {
      if (Date.now() > until) throw new Error('the sync did not settle');
      await page.waitForTimeout(300);
      await page.reload();
    }
    expect(await runs.first().textContent()).toContain('completed');
    expect(await runs.count()).toBeGreaterThanOrEqual(1);
    const products = page
      .locator('table', { hasText: 'Products from the synced inventory' })
      .locator('tbody tr');
    const text = (await products.allTextContents()).join('\n');
    expect(text).toContain('Sports section');
    expect(text).toContain('placement_502');
    expect(text).toContain('10 USD CPM');
    // The retired placement makes no product.
    expect(text).not.toContain('Retired');
    await checkPage('02-connected');
  });

  it('shows a buy waiting for approval, then its order waiting for Ad Manager’s approver', async () => {
    const { page } = b;
    await openStorefront(h, sf.seller, sf.id);
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency.example' });
    const { agent, booked } = await bookSports(base, sf.platformId, buyer.key, {
      name: 'Banner',
      url: `${gam.url}/cdn/banner.png`,
      product: 'placement_502',
    });
    await agent.close();
    expect(booked, JSON.stringify(booked)).toMatchObject({ status: 'submitted' });
    const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
      key: sf.seller.key,
    });
    expect(queue.body.data.items).toHaveLength(1);
    const mediaBuyId = queue.body.data.items[0].mediaBuyId as string;

    await page.goto(`${base}/console/sources/gam`);
    const held = page.locator('table', { hasText: 'Buys waiting for your approval' });
    expect(await held.locator('tbody tr').textContent()).toContain(mediaBuyId);
    await checkPage('03-waiting-for-seller');

    await page.click('a:has-text("Approve or reject them in the review queues")');
    await page.waitForURL(`${base}/console/reviews`);
    await page.click('button:has-text("Approve")');
    await page.waitForLoadState('load');

    await page.goto(`${base}/console/sources/gam`);
    expect(await page.locator('table', { hasText: 'Buys waiting for your approval' }).count()).toBe(
      0,
    );
    const placed = page
      .locator('table', { hasText: 'Orders in the ad server' })
      .locator('tbody tr');
    const row = (await placed.first().textContent())!;
    expect(row).toContain(mediaBuyId);
    expect(row).toContain('waiting for the ad server’s approval');
    expect(row).toContain('6,000 USD');
    const order = [...gam.networks.get(networkCode)!.orders.values()].at(-1)!;
    expect(row).toContain(String(order['id']));
    await checkPage('04-waiting-for-ad-server');
  });

  it('connects SpringServe from its form; a missing password is refused at its field', async () => {
    const { page } = b;
    const fill = async (password: string) => {
      await page.goto(`${base}/console/sources/new`);
      await page.click('summary:has-text("SpringServe")');
      await page.fill('#connect-springserve-name', 'Our SpringServe');
      await page.fill('#connect-springserve-sourceId', 'springserve');
      await page.fill('#connect-springserve-email', 'ops+api@sportsnews.example');
      await page.fill('#connect-springserve-password', password);
      await page.click('#connect-springserve button[type="submit"]');
      await page.waitForLoadState('load');
    };
    await fill('');
    expect(await page.textContent('#connect-springserve-password-error')).toContain(
      'SpringServe needs credentials',
    );
    expect(await page.inputValue('#connect-springserve-email')).toBe('ops+api@sportsnews.example');
    await fill('correct horse battery');
    await page.waitForURL(/\/console\/sources\/springserve\?notice=ad-server-connected/);
    const connection = (await page.textContent('section[aria-labelledby="ad-server-h"]'))!;
    expect(connection).toContain('SpringServe connection');
    expect(connection).toContain('configured (sealed; never shown again)');
    expect(await page.content()).not.toContain('correct horse battery');
    expect(await page.locator('#source-test').count()).toBe(0);
  });

  it('lists the source as an ad server, not an agent', async () => {
    const { page } = b;
    await page.goto(`${base}/console/sources`);
    const row = (await page
      .locator('table', { hasText: 'Inventory sources' })
      .locator('tbody tr', { hasText: 'Our Ad Manager' })
      .textContent())!;
    expect(row).toContain('Ad server');
    expect(row).not.toContain('no endpoint yet');
  });

  it('loaded nothing from another origin', () => {
    expect(b.requests.filter((url) => !url.startsWith(base))).toEqual([]);
    // The refused forms answered 400 (the form again, with its errors), as they should.
    const refused = /status of 400 .*\/console\/sources\/new-ad-server\/(gam|springserve)$/;
    expect(b.problems.filter((p) => !refused.test(p))).toEqual([]);
  });
});
