import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { priceObjectionHistory } from '../agents/brief-answers-support.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * The seller decides on history's posture recommendations in the console (issue 47, item 2):
 * the analytics page shows each recommendation with its evidence (hosted strategySignals) and a
 * button to accept it; an accepted one can be withdrawn there. Answer size and a pinned posture
 * are set on the storefront and instructions pages.
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
  const buyer = await createCustomer(h, { role: 'BUYER' });
  await priceObjectionHistory(h, sf.id, buyer.id, 'acme.example');
  b = await openConsoleBrowser('postures', { width: 1280, height: 900 });
}, 90_000);
afterAll(async () => {
  await b?.close();
  await h?.close();
});

const accepted = async () =>
  (
    await h.call('GET', '/api/v2/storefront/seller-analytics/posture-acceptances', {
      key: seller.key,
    })
  ).body.data.items.map((i: { posture: string }) => i.posture);

describe('posture recommendations in the seller console', () => {
  it('shows the recommendation with its evidence, and accepts then withdraws it', async () => {
    const { page } = b;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(seller.key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);
    await page.goto(`${base}/console/analytics`);
    const panel = page.locator('section', { hasText: 'Posture recommendations' });
    const signal = panel.locator('li.signal', { hasText: 'price first' });
    const text = (await signal.textContent())!;
    expect(text).toContain('not applied');
    // The evidence the recommendation rests on (strategySignals[].evidence) is on the page.
    const evidence = (
      await h.call('GET', '/api/v2/storefront/seller-analytics', { key: seller.key })
    ).body.data.strategySignals.find((s: { posture: string }) => s.posture === 'price_first')
      .evidence as Array<{ label: string; value: string }>;
    expect(evidence.length).toBeGreaterThan(0);
    for (const item of evidence) expect(text).toContain(`${item.label}${item.value}`);
    await expectAccessible(b);
    await b.shot('analytics-recommendation');

    await signal.locator('button:has-text("Accept price first")').click();
    await page.waitForURL(/notice=posture-accepted/);
    expect(await page.textContent('[role="status"]')).toContain('price first is accepted');
    expect(await accepted()).toEqual(['price_first']);
    expect(await signal.textContent()).toContain('accepted: applies to get_products');

    await signal.locator('button:has-text("Withdraw price first")').click();
    await page.waitForURL(/notice=posture-withdrawn/);
    expect(await accepted()).toEqual([]);
    expect(await signal.textContent()).toContain('not applied');
  });

  it('sets the answer size on the storefront page, refused at the field first', async () => {
    const { page } = b;
    await page.goto(`${base}/console/storefront`);
    const size = page.getByLabel('Answer size (products per answer)');
    await size.fill('0');
    // The browser's own min/max check is skipped so the server's refusal is what shows.
    await size.evaluate((el) => el.closest('form')!.setAttribute('novalidate', ''));
    await page.click('button:has-text("Save the profile")');
    await page.waitForSelector('#profile-maxProducts-error');
    await page.getByLabel('Answer size (products per answer)').fill('6');
    await page.click('button:has-text("Save the profile")');
    await page.waitForURL(/notice=storefront-saved/);
    const sf = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data;
    expect(sf.maxProducts).toBe(6);
    await expectNoSidewaysScroll(page);
  });
});
