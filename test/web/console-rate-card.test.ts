import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyBuying, agentClient, storefrontWith } from '../agents/storefront-agent-support.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createHarness, type Harness } from '../harness.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * The rate card in the seller console (issue 47, item 2): a seller adds a CTV hard floor from
 * the page, a buyer's get_products over MCP shows CTV held to it; the seller raises it from the
 * page and the buyer sees the new floor; a price the card cannot hold is refused at its field;
 * deleting the fact gives the buyer the source's price back.
 */
let h: Harness;
let base: string;
let demo: RunningSeller;
let b: ConsoleBrowser;
let sf: Awaited<ReturnType<typeof storefrontWith>>;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  h.services.trustOwnOrigin(base);
  demo = await startSeller('mcp');
  sf = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]);
  b = await openConsoleBrowser('rate-card', { width: 1280, height: 900 });
}, 90_000);
afterAll(async () => {
  await b?.close();
  await demo?.close();
  await h?.close();
});

type Option = { pricing_option_id: string; fixed_price?: number; floor_price?: number };
type Product = { product_id: string; pricing_options: Option[] };

/** The auction floor a buyer is shown on the demo's CTV news channel. */
async function ctvFloorSeenByBuyer(): Promise<number | undefined> {
  const { buyer, account } = await agencyBuying(h);
  const agent = await agentClient(base, sf.platformId, buyer.key);
  try {
    const listed = await agent.call('get_products', {
      buying_mode: 'brief',
      brief: 'CTV across the network, auction',
      brand: account.brand,
      account,
      pagination: { max_results: 100 },
    });
    expect(listed.isError, JSON.stringify(listed)).toBe(false);
    const ctv = (listed.products as Product[]).find((p) =>
      p.product_id.endsWith('ctv_news_channel'),
    )!;
    return ctv.pricing_options.find((o) => o.fixed_price === undefined)?.floor_price;
  } finally {
    await agent.close();
  }
}

const facts = async () =>
  (await h.call('GET', '/api/v2/storefront/pricing-facts', { key: sf.seller.key })).body.data
    .items as Array<{ id: string; pricing: { pricingModel: string; floorPrice?: number } }>;

describe('the rate card in the seller console', () => {
  it('adds, raises and deletes a hard floor that buyers see', async () => {
    const { page } = b;
    const sourcesOwn = await ctvFloorSeenByBuyer();
    expect(sourcesOwn).toBeLessThan(60);

    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(sf.seller.key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);
    await page.click('nav >> text=Rate card');
    await page.waitForURL(`${base}/console/rate-card`);
    expect(await page.textContent('main')).toContain('No pricing facts');

    const add = page.locator('form#add-fact');
    await add.getByLabel('Fact id').fill('ctv-floor');
    await add.getByLabel('Label').fill('CTV floor');
    await add.getByLabel('Applies when (shown to operators)').fill('Any connected-TV product');
    await add.getByLabel('Strength').selectOption('hard_floor');
    await add.getByLabel('Pricing model').selectOption('cpm');
    await add.getByLabel('Floor price').fill('60');
    await add.getByLabel('Channels').fill('ctv');
    await add.getByLabel('Flights overlapping from').fill('2026-01-01');
    await add.getByLabel('Flights overlapping until').fill('2030-12-31');
    await add.locator('button:has-text("Add the fact")').click();
    await page.waitForURL(/notice=pricing-fact-added/);
    expect(await page.textContent('[role="status"]')).toContain('CTV floor is on your rate card');
    const row = page.locator('tr', { hasText: 'ctv-floor' });
    expect(await row.textContent()).toContain('USD 60.00');
    expect(await row.textContent()).toContain('flight 2026-01-01 to 2030-12-31');
    expect(await facts()).toMatchObject([
      { id: 'ctv-floor', pricing: { pricingModel: 'cpm', floorPrice: 60 } },
    ]);
    expect(await ctvFloorSeenByBuyer()).toBe(60);
    await expectAccessible(b);
    await b.shot('rate-card-1280');

    // A ceiling under the floor cannot be held: refused at the ceiling's field, nothing saved.
    await row.locator('summary:has-text("Edit")').click();
    const edit = page.locator('form#edit-ctv-floor');
    await edit.getByLabel('Ceiling price').fill('50');
    await edit.locator('button:has-text("Save the fact")').click();
    await page.waitForSelector('form#edit-ctv-floor [id$="-error"]');
    expect(await facts()).toMatchObject([{ pricing: { floorPrice: 60 } }]);

    expect(await edit.textContent()).toContain('must not be below');
    const again = page.locator('form#edit-ctv-floor');
    await again.getByLabel('Ceiling price').fill('');
    await again.getByLabel('Floor price').fill('70');
    await again.locator('button:has-text("Save the fact")').click();
    await page.waitForURL(/notice=pricing-fact-saved/);
    expect(await facts()).toMatchObject([{ id: 'ctv-floor', pricing: { floorPrice: 70 } }]);
    expect(await ctvFloorSeenByBuyer()).toBe(70);

    await page.setViewportSize({ width: 375, height: 800 });
    await expectNoSidewaysScroll(page);
    await b.shot('rate-card-375');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.locator('tr', { hasText: 'ctv-floor' }).locator('button:has-text("Delete")').click();
    await page.waitForURL(/notice=pricing-fact-deleted/);
    expect(await facts()).toEqual([]);
    expect(await ctvFloorSeenByBuyer()).toBe(sourcesOwn);
  }, 180_000);
});
