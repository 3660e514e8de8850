import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoveryRuns } from '../../src/modules/discovery-runs/tables.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * The seller's analytics page shows what each recent run left out and why (issue 47, item 2),
 * at 1280 and 375 px, accessible. The run and its record are written as the storefront agent
 * writes them (discovery run, then recordRunLeftOut).
 */
let h: Harness;
let base: string;
let seller: TestCustomer;
let b: ConsoleBrowser;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  h.services.trustOwnOrigin(base);
  seller = await createCustomer(h, { role: 'SELLER', name: 'Harbour Times' });
  const sf = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data;
  const [run] = await h.database.db
    .insert(discoveryRuns)
    .values({
      storefrontId: sf.id,
      buyerCustomerId: null,
      operatorDomain: null,
      brandDomain: 'acme.example',
      country: null,
      buyingMode: 'brief',
      brief: 'CTV for a sports drink launch',
      refine: null,
      productIds: ['demo__ctv_live_sports', 'demo__ctv_news_channel'],
      packages: {},
      sourceOutcomes: [{ sourceId: 'demo', ok: true, productCount: 9, latencyMs: 5 }],
      discountPercent: null,
      durationMs: 3,
    })
    .returning({ id: discoveryRuns.id });
  const recorded = await h.services.sellerAnalytics.recordRunLeftOut({
    storefrontId: sf.id,
    discoveryRunId: run!.id,
    leftOut: [
      { productId: 'demo__display_homepage_takeover', reason: 'channel display not among ctv' },
      { productId: 'demo__audio_podcast_midroll', reason: 'channel streaming_audio not among ctv' },
      { productId: 'demo__ctv_documentaries', reason: 'answer_size' },
    ],
  });
  expect(recorded).toBe(true);
  b = await openConsoleBrowser('left-out', { width: 1280, height: 900 });
}, 90_000);
afterAll(async () => {
  await b?.close();
  await h?.close();
});

describe('what runs left out, in the seller console', () => {
  it('lists the run with its counts by reason and the products named, at 1280 and 375 px', async () => {
    const { page } = b;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(seller.key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);
    await page.goto(`${base}/console/analytics`);
    const panel = page.locator('section', { hasText: 'What runs left out' });
    const row = panel.locator('tr', { hasText: 'CTV for a sports drink launch' });
    const text = (await row.textContent())!;
    expect(text).toContain('2 channel not asked for');
    expect(text).toContain('1 below the answer size');
    await row.locator('summary').click();
    await expect
      .poll(() => row.locator('details li').allTextContents())
      .toContain('demo__display_homepage_takeover: channel display not among ctv');
    await expectAccessible(b);
    await expectNoSidewaysScroll(page);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    await expect.poll(() => row.isVisible()).toBe(true);
    await expectNoSidewaysScroll(page);
    await expectAccessible(b);
  });
});
