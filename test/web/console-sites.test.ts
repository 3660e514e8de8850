import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentClient } from '../agents/storefront-agent-support.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { commitCsv, modularStorefront } from '../modules/modular-sources/support.js';
import { type ConsoleBrowser, expectAccessible, openConsoleBrowser } from './console-browser.js';

/**
 * The seller's sites in the console (issue 71, items 3 and 4): a seller describes a site from the
 * page (its countries by name, whom it reaches), a country it cannot read is refused at its field,
 * and a buyer's get_products over MCP reads the site: a brief for its audience finds its terse
 * lines first, a GB filter ranks it above the other site, which says no country.
 */
let h: Harness;
let base: string;
let b: ConsoleBrowser;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  h.services.trustOwnOrigin(base);
  b = await openConsoleBrowser('sites', { width: 1280, height: 900 });
}, 90_000);
afterAll(async () => {
  await b?.close();
  await h?.close();
});

const soon = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const csv = [
  'Placement ID,Start date,End date,Impressions,CPM,Size,Domain',
  `PX_HP-LB,${soon()},2029-12-31,9000000,8,display_728x90,pixa.example`,
  `HX_UK_HP-LB,${soon()},2029-12-31,1000000,8,display_728x90,hexa.example`,
].join('\n');

describe('sites in the seller console', () => {
  it('describes a site that buyers then find by its audience and country', async () => {
    const sf = await modularStorefront(h);
    await commitCsv(h, sf.seller.key, sf.sourceId, csv);
    const { page } = b;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(sf.seller.key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);
    await page.click('nav >> text=Sites');
    await page.waitForURL(`${base}/console/sites`);
    expect(await page.textContent('main')).toContain('No sites described');

    // A country it cannot read comes back at its field, nothing saved.
    const add = page.locator('form#add-site');
    await add.getByLabel('Site (publisher domain)').fill('hexa.example');
    await add.getByLabel('Countries it sells in').fill('Narnia');
    await add.locator('button:has-text("Save the site")').click();
    await page.waitForSelector('form#add-site [id$="-error"]');
    expect(await page.locator('form#add-site').textContent()).toContain('is not a country');

    const again = page.locator('form#add-site');
    await again.getByLabel('Site (publisher domain)').fill('hexa.example');
    await again.getByLabel('Countries it sells in').fill('United Kingdom');
    await again.getByLabel('Whom it reaches').fill('motoring enthusiasts, men 35-54');
    await again.locator('button:has-text("Save the site")').click();
    await page.waitForURL(/notice=site-saved/);
    const row = page.locator('tr', { hasText: 'hexa.example' });
    expect(await row.textContent()).toContain('GB');
    expect(await row.textContent()).toContain('motoring enthusiasts');
    await expectAccessible(b);

    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const ids = async (request: object) =>
        (
          (await agent.call('get_products', {
            buying_mode: 'brief',
            brand: { domain: 'planner.example' },
            ...request,
          })) as { products: Array<{ product_id: string }> }
        ).products.map((p) => p.product_id.replace(/^avails__/, ''));
      expect((await ids({ brief: 'reach car enthusiasts' }))[0]).toBe('HX_UK_HP-LB');
      // The other site says no country: kept, below the site that sells in GB.
      expect(await ids({ brief: 'leaderboards', filters: { countries: ['GB'] } })).toEqual([
        'HX_UK_HP-LB',
        'PX_HP-LB',
      ]);
    } finally {
      await agent.close();
    }
  }, 180_000);
});
