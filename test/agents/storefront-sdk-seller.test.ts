import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../fixtures/sdk-seller.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

let h: Harness;
let base: string;
let seller: SdkSeller;

beforeAll(async () => {
  [h, seller] = await Promise.all([createHarness(), startSdkSeller()]);
  base = await listen(h);
});
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

// The example seller resolves accounts by publisher domain, and no account it did not issue.
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };

describe('a storefront over @adcp/sdk’s example seller', () => {
  it('gives a buyer naming {brand, operator} the seller’s products, and buys one upstream', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'sdk', url: seller.url, token: seller.token }]);
    // The buyer names itself as operator (upstream-account.ts).
    const buyer = await createCustomer(h, { role: 'BUYER', domain: account.operator });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Outdoor display for a spring launch',
        account,
      });
      expect(found.isError).toBe(false);
      expect(found.errors ?? []).toEqual([]);
      expect(found.products.length).toBeGreaterThan(0);
      for (const product of found.products) expect(product.product_id).toMatch(/^sdk__./);

      const bought = await agent.call('create_media_buy', buyOf(found.products[0], account));
      expect(bought.isError).toBe(false);
      expect(bought.media_buy_id).toMatch(/^mb_/);
      expect(bought.errors ?? []).toEqual([]);
      expect(bought.status).not.toMatch(/rejected|failed|canceled/);
      expect(bought.packages[0].package_id).toMatch(/^sdk__./);
    } finally {
      await agent.close();
    }
  });

  it('serves a buyer naming its storefront account id by the brand on its request', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'sdk', url: seller.url, token: seller.token }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Outdoor display for a spring launch',
        account: { account_id: 'acme_media' },
        brand: { domain: 'acmeoutdoor.example' },
      });
      expect(found.errors ?? []).toEqual([]);
      expect(found.products.length).toBeGreaterThan(0);
    } finally {
      await agent.close();
    }
  });
});
