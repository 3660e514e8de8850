import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixedStorefront } from '../agents/brief-answers-support.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createHarness, type Harness, type TestCustomer } from '../harness.js';
import { buyerWithAdvertiser } from '../modules/buying/buying-support.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * The buyer console's Discover reaches every product a storefront offers (issue 47, item 2): the
 * storefront answers a page of 5 (a pinned direct_fit) of 34 and says more exist; discovery
 * follows its cursor, and the results page through all 34, in Chromium at 375 and 1280 px.
 */
let h: Harness;
let base: string;
let seller: RunningSeller;
let buyer: TestCustomer;
let storefrontName: string;

beforeAll(async () => {
  h = await createHarness({
    INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0',
    // Paging is what is tested, not the default budget on a machine the suite shares.
    INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: '30000',
    INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS: '30000',
  });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  h.services.trustOwnOrigin(base);
  seller = await startSeller('mcp');
  const sf = await mixedStorefront(h, seller);
  const pinned = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
    key: sf.seller.key,
    body: {
      operatorDomain: null,
      brandDomain: null,
      discountPercent: null,
      notes: null,
      countries: null,
      posture: 'direct_fit',
    },
  });
  if (pinned.status !== 201) throw new Error(pinned.text);
  storefrontName = (await h.call('GET', '/api/v2/storefront', { key: sf.seller.key })).body.data
    .name;
  buyer = (await buyerWithAdvertiser(h)).buyer;
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

describe.each([375, 1280])('Discover at %i px', (width) => {
  let b: ConsoleBrowser;
  beforeAll(async () => {
    b = await openConsoleBrowser(`discover-pages-${width}`, { width, height: 900 });
    b.page.setDefaultTimeout(20_000);
  });
  afterAll(() => b?.close());

  it('pages through every product the storefront offers, and selects one from a later page', async () => {
    const { page } = b;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(buyer.key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);
    await page.goto(`${base}/console/discover`);
    await page.getByLabel('Brief', { exact: true }).fill('Weekend edition native article');
    await page.getByRole('checkbox', { name: storefrontName }).check();
    await page.click('button:has-text("Discover products")');
    await page.waitForURL(/\/console\/discover\/[^?]+\?advertiserId=/);
    expect(await page.textContent('#products-h')).toBe('Products (34)');

    const names = () => page.locator('article.card .check label').allTextContents();
    const seen: string[] = [];
    const first = await names();
    expect(first).toHaveLength(15);
    // The brief names a spreadsheet product: it leads, whichever source answered first.
    expect(first[0]).toBe('Weekend edition native article');
    seen.push(...first);
    expect(await page.textContent('nav.pager')).toContain('Page 1 of 3');
    await expectAccessible(b);
    await expectNoSidewaysScroll(page);
    await b.shot('page-1');

    await page.click('nav.pager a:has-text("Next page")');
    await page.waitForURL(/offset=15/);
    const second = await names();
    expect(second).toHaveLength(15);
    seen.push(...second);
    // A product ticked on this page joins the selection with its agent and pricing.
    await page.locator('article.card').first().getByRole('checkbox').check();
    await page.locator('article.card').first().getByRole('spinbutton').first().fill('1000');
    await page.click('button:has-text("Add the ticked products to the selection")');
    await page.waitForURL(/notice=products-selected/);
    expect(await page.locator('table', { hasText: 'Selected products' }).textContent()).toContain(
      '1000',
    );

    await page.goto(page.url().replace(/[?#].*$/, '') + `?offset=30`);
    const last = await names();
    expect(last).toHaveLength(4);
    expect(await page.textContent('nav.pager')).toContain('Page 3 of 3');
    expect(await page.locator('nav.pager a:has-text("Next page")').count()).toBe(0);
    seen.push(...last);
    expect(new Set(seen).size).toBe(34);
    await expectAccessible(b);
    await expectNoSidewaysScroll(page);
    await b.shot('page-3');
  }, 120_000);
});
