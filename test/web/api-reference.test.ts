import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { createHarness, type Harness } from '../harness.js';

let h: Harness;
let browser: Browser;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h.close();
});

describe('API reference page', () => {
  it('renders every persona document with its operations and links to the raw specs', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${base}/docs`);
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('Interchange API reference');
    const sections = await page.locator('section h2').allTextContents();
    expect(sections).toEqual([
      'Interchange Buyer API',
      'Interchange Storefront API',
      'Interchange Admin API',
    ]);
    const createCustomer = page.locator('#admin\\.customers\\.create');
    await expect(createCustomer.locator('h4').textContent()).resolves.toContain(
      '/api/v2/admin/customers',
    );
    const fields = await createCustomer.locator('details').first().textContent();
    expect(fields).toContain('customerRole');
    expect(fields).toContain('"BUYER", "SELLER"');

    await page.click('a[href="/api/v2/storefront/openapi.json"]');
    const spec = JSON.parse((await page.locator('body').textContent()) ?? '{}');
    expect(spec.info.title).toBe('Interchange Storefront API');
    await page.close();
  });
});
