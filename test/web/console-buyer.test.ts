import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storefrontWith } from '../agents/storefront-agent-support.js';
import { type OAuthServer, startOAuthServer } from '../fixtures/oauth-server.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { recordDelivery } from '../modules/reporting/reporting-support.js';
import { png } from '../support/images.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * A buyer, from a new key to an executed campaign and its report, in the browser: an
 * advertiser, an OAuth connection made in the consent popup, discovery over a storefront whose
 * source is a real AdCP seller, the campaign built from the products picked, executed, a
 * creative uploaded, and the seller's delivery read as plots and a CSV. Every page is checked
 * with axe-core and kept as a screenshot; the console loads nothing from another origin.
 */
let h: Harness;
let demo: RunningSeller;
let oauthSeller: RunningSeller;
let idp: OAuthServer;
let base: string;
let buyer: TestCustomer;
let b: ConsoleBrowser;
let demoStorefront: { id: number; platformId: string };
let oauthStorefrontId: number;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  h.services.trustOwnOrigin(base);
  [demo, oauthSeller] = await Promise.all([startSeller('mcp'), startSeller('bearer')]);
  idp = await startOAuthServer(oauthSeller.token!);
  demoStorefront = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]);
  // A second storefront whose source signs each buyer in with OAuth.
  const seller = await createCustomer(h, { role: 'SELLER', name: 'Coastline Radio' });
  oauthStorefrontId = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data.id;
  await h.call('POST', '/api/v2/storefront/inventory-sources', {
    key: seller.key,
    body: {
      name: 'Coastline audio agent',
      sourceId: 'coastline',
      endpointUrl: oauthSeller.url,
      authenticationType: 'OAUTH',
      requiresCredentials: true,
      auth: {
        type: 'oauth',
        clientId: 'interchange',
        scope: 'adcp',
        authorizationServerUrl: idp.issuer,
      },
    },
  });
  await h.call('PUT', '/api/v2/storefront/inventory-sources/coastline', {
    key: seller.key,
    body: { status: 'ACTIVE' },
  });
  await h.call('POST', `/api/v2/admin/storefronts/${oauthStorefrontId}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
  buyer = await createCustomer(h, { role: 'BUYER', name: 'Pinnacle Agency' });
  b = await openConsoleBrowser('buyer', { width: 1280, height: 900 });
}, 90_000);
afterAll(async () => {
  await b?.close();
  await idp?.close();
  await Promise.all([demo?.close(), oauthSeller?.close()]);
  await h?.close();
});

const api = (path: string) => h.call('GET', path, { key: buyer.key });
const status = () => b.page.textContent('[role="status"]');
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
let campaignId = '';

async function checkPage(name: string) {
  await b.shot(name);
  await expectAccessible(b);
  await expectNoSidewaysScroll(b.page);
}

describe('a buyer runs a campaign in the console', () => {
  it('signs in with a buyer key and is told the next step', async () => {
    const { page } = b;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(buyer.key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);
    expect(await page.textContent('h1')).toBe('Overview');
    expect(await page.textContent('header.top')).toContain('Pinnacle Agency');
    await checkPage('01-overview');
    await page.click('a:has-text("Create your first advertiser")');
    await page.waitForURL(`${base}/console/advertisers`);
    expect(await page.textContent('main')).toContain('No advertisers yet');
  });

  it('creates an advertiser, refused at the field first', async () => {
    const { page } = b;
    await page.getByLabel('Name (required)', { exact: true }).fill('Acme Outdoor');
    await page.getByLabel('Brand domain').fill('acmeoutdoor.example');
    await page.getByLabel('Currency').fill('US');
    await page.click('button:has-text("Create the advertiser")');
    expect(await page.textContent('#advertiser-primaryCurrency-error')).toBe(
      'Must be an ISO 4217 code such as USD',
    );
    await page.getByLabel('Currency').fill('USD');
    await page.click('button:has-text("Create the advertiser")');
    await page.waitForURL(/\/console\/advertisers\/\d+\?notice=advertiser-created/);
    expect(await status()).toBe('Advertiser Acme Outdoor is created.');
    await checkPage('02-advertiser');
  });

  it('connects an OAuth source in the consent popup, which reports back to the page', async () => {
    const { page, context } = b;
    await page.click('nav.sections >> text=Storefronts');
    await checkPage('03-storefronts');
    await page.click('a:has-text("Coastline Radio")');
    const source = page.locator('article.source-card', { hasText: 'Coastline audio agent' });
    expect(await source.textContent()).toContain('not connected');
    await checkPage('04-storefront');
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      source.locator('button:has-text("Connect with OAuth")').click(),
    ]);
    // The popup goes through the authorization server to our callback, tells this page by
    // postMessage, and closes; the page then shows the source connected.
    await popup.waitForEvent('close', { timeout: 20_000 });
    await expect
      .poll(() => source.textContent(), { timeout: 20_000 })
      .not.toContain('not connected');
    expect(await source.textContent()).toContain('connected');
    const sf = (await api(`/api/v2/buyer/storefronts/${oauthStorefrontId}`)).body.data;
    expect(sf.sources[0]).toMatchObject({ sourceId: 'coastline', connected: true });
    expect(idp.counts.code).toBe(1);
  });

  it('discovers products, names who answered, and selects one with a budget', async () => {
    const { page } = b;
    await page.click('nav.sections >> text=Discover');
    await page.getByLabel('Brief', { exact: true }).fill('Outdoor display for a spring launch');
    await page.getByLabel('Budget', { exact: true }).fill('20000');
    const storefrontName = (await api(`/api/v2/buyer/storefronts/${demoStorefront.id}`)).body.data
      .name as string;
    await page.getByRole('checkbox', { name: storefrontName }).check();
    await checkPage('05-brief');
    await page.click('button:has-text("Discover products")');
    await page.waitForURL(/\/console\/discover\/[^?]+\?advertiserId=\d+/);
    const agents = page.locator('table', { hasText: 'Agents asked' });
    expect(await agents.textContent()).toContain('answered');
    const card = page.locator('article.card').first();
    const name = (await card.locator('label').first().textContent())!;
    await card.getByRole('checkbox').check();
    await card.getByLabel(`Budget for ${name}`).fill('16000');
    await checkPage('06-products');
    await page.click('button:has-text("Add the ticked products to the selection")');
    await page.waitForURL(/notice=products-selected/);
    expect(await status()).toContain('One product selected');
    expect(await page.locator('table', { hasText: 'Selected products' }).textContent()).toContain(
      '16000',
    );
  });

  it('builds the campaign from the selection and executes it, by keyboard', async () => {
    const { page } = b;
    await page.click('a:has-text("Build a campaign from the selection")');
    await page.getByLabel('Campaign name').fill('Spring launch');
    await page.getByLabel('Flight starts (UTC)').fill(day(0));
    await page.getByLabel('Flight ends (UTC)').fill(day(14));
    await page.getByLabel('Total budget').fill('16000');
    await page.getByLabel('Pacing', { exact: true }).selectOption('EVEN');
    // A pacing period and a frequency cap (issue 32's campaign controls). One period: the
    // product's minimum spend per package is the whole budget.
    await page.getByLabel('Periods of the flight (optional)').selectOption('weight');
    await page.getByLabel('Period 1: label').fill('Whole flight');
    await page.getByLabel('Period 1: first day (YYYY-MM-DD, UTC)').fill(day(0));
    await page.getByLabel('Period 1: last day (YYYY-MM-DD, UTC)').fill(day(14));
    await page.getByLabel('Period 1: weight (0–10)').fill('1');
    await page.getByLabel(/Frequency cap: impressions per person/).fill('3');
    await page.getByLabel('Frequency cap: window length').fill('1');
    await page.getByLabel('Frequency cap: window unit').selectOption('days');
    await checkPage('07-builder');
    await page.click('button:has-text("Create the campaign")');
    await page.waitForURL(/\/console\/campaigns\/[^/?]+\?notice=campaign-created/);
    campaignId = new URL(page.url()).pathname.split('/').pop()!;
    expect(await page.textContent('#results-h + *')).toContain('Not executed yet');
    expect(await page.locator('table', { hasText: 'Products' }).textContent()).toContain('not yet');
    await b.tabTo('#campaign-execute button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/notice=campaign-executed/);
    const results = page.locator('table', { hasText: 'Per-seller results' });
    expect(await status()).toContain('one media buy sent to the sellers');
    expect(await results.textContent()).not.toContain('not sent yet');
    await checkPage('08-executed');
    const campaign = (await api(`/api/v2/buyer/campaigns/${campaignId}`)).body.data.campaign;
    expect(campaign.status).toBe('ACTIVE');
    expect(campaign.pacingPeriods.periods.map((p: { label: string }) => p.label)).toEqual([
      'Whole flight',
    ]);
    expect(campaign.frequencyCaps).toEqual([
      expect.objectContaining({ max_impressions: 3, window: { interval: 1, unit: 'days' } }),
    ]);
    expect(campaign.mediaBuys).toHaveLength(1);
    expect(campaign.mediaBuys[0].sellerMediaBuyId).toBeTruthy();
    expect(await results.textContent()).toContain(campaign.mediaBuys[0].sellerMediaBuyId);
  });

  it("shows the media buy's status timeline", async () => {
    const { page } = b;
    await page.locator('table', { hasText: 'Per-seller results' }).locator('a').first().click();
    await page.waitForURL(/\/console\/media-buys\//);
    const timeline = await page.textContent('ol.timeline');
    expect(timeline).toContain('Created as a draft of the campaign');
    expect(timeline).toContain('Sent to');
    expect(timeline).toContain('Flight ends');
    await checkPage('09-media-buy');
  });

  it('uploads a creative, previewed from our own origin', async () => {
    const { page } = b;
    await page.goto(`${base}/console/campaigns/${campaignId}/creatives`);
    expect(await page.textContent('main')).toContain('No creatives yet');
    await page.getByLabel('Name', { exact: true }).fill('Spring medrec');
    await page.getByLabel('Image, video or audio file').setInputFiles({
      name: 'medrec.png',
      mimeType: 'image/png',
      buffer: png(300, 250),
    });
    await expect
      .poll(() => page.locator('.upload-preview figcaption').textContent())
      .toMatch(/^Uploaded medrec\.png/);
    const format = page.getByLabel('Format');
    const values = await format
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    await format.selectOption(values.find((v) => v.endsWith('|display_300x250')) ?? values[1]!);
    await page.getByLabel('Click-through URL').fill('https://acmeoutdoor.example/spring');
    await page.click('button:has-text("Add the creative")');
    await page.waitForURL(/notice=creative-created/);
    const thumb = page.locator('img.thumb');
    await expect
      .poll(() =>
        thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(300);
    await checkPage('10-creatives');
  });

  it("reads the seller's delivery as plots and a table, and exports it as CSV", async () => {
    const { page } = b;
    const campaign = (await api(`/api/v2/buyer/campaigns/${campaignId}`)).body.data.campaign;
    await recordDelivery(h, campaign.mediaBuys[0], day(0), { impressions: 12000, spend: 96 });
    await page.click('nav.sections >> text=Reporting');
    await page.getByLabel('Campaign').selectOption(campaignId);
    await page.click('button:has-text("Show")');
    await page.waitForSelector('canvas[data-chart="impressions-by-buy"][data-drawn="true"]');
    for (const id of ['spend-by-day', 'impressions-by-day', 'spend-by-buy', 'impressions-by-buy']) {
      expect(await page.getAttribute(`canvas[data-chart="${id}"]`, 'data-drawn'), id).toBe('true');
    }
    expect(await page.textContent('#chart-impressions-by-day-table')).toContain('12000');
    expect(await page.textContent('#chart-spend-by-buy-table')).toContain('96');
    await checkPage('11-report');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Export CSV")'),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toContain('impressions');
    expect(csv).toContain(campaign.mediaBuys[0].mediaBuyId);
    expect(csv).toContain('12000');
  });

  it('fits a 375 px screen on every page of the journey', async () => {
    const { page } = b;
    await page.setViewportSize({ width: 375, height: 800 });
    const campaign = (await api(`/api/v2/buyer/campaigns/${campaignId}`)).body.data.campaign;
    for (const path of [
      '/console',
      '/console/advertisers',
      `/console/storefronts/${oauthStorefrontId}`,
      `/console/discover/${campaign.discoveryId}`,
      `/console/campaigns/${campaignId}`,
      `/console/campaigns/${campaignId}/creatives`,
      `/console/media-buys/${campaign.mediaBuys[0].mediaBuyId}`,
      '/console/reporting',
    ]) {
      await page.goto(`${base}${path}`);
      await expectNoSidewaysScroll(page);
    }
    await b.shot('12-reporting-375');
  });

  it('loaded nothing from another origin but the consent window’s sign-in page', async () => {
    const elsewhere = b.requests.filter((url) => !url.startsWith(base));
    expect(elsewhere.every((url) => url.startsWith(idp.issuer))).toBe(true);
    expect(
      b.problems.filter((p) => !/status of 400 .*\/console\/advertisers\/new$/.test(p)),
    ).toEqual([]);
  });
});
