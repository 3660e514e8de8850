import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import {
  agentResultOf,
  buyerWithAdvertiser,
  discover,
  type Json,
  productsOf,
} from './buying-support.js';

let h: Harness;
let demo: RunningSeller;
let sdk: SdkSeller;
let sf: { id: number; platformId: string };
/** A storefront over @adcp/sdk's example seller: its request validation is not ours. */
let sfSdk: { id: number; platformId: string };

beforeAll(async () => {
  h = await createHarness();
  [demo, sdk] = await Promise.all([startSeller('mcp'), startSdkSeller()]);
  sf = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]);
  sfSdk = await storefrontWith(h, [{ sourceId: 'sdk', url: sdk.url, token: sdk.token }]);
}, 60_000);
afterAll(async () => {
  await Promise.all([demo?.close(), sdk?.close()]);
  await h?.close();
});

const flightDates = { startDate: '2027-01-01T00:00:00Z', endDate: '2027-01-10T00:00:00Z' };

describe('hosted request fields', () => {
  it('refuses the ones not served with a 400 naming the field, instead of dropping them', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const campaignBody = {
      advertiserId: Number(advertiserId),
      name: 'X',
      flightDates,
      budget: { total: 10 },
    };
    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      [
        'POST',
        '/api/v2/buyer/discovery/discover-products',
        { advertiserId: Number(advertiserId), evaluation: {} },
        'evaluation',
      ],
      [
        'POST',
        '/api/v2/buyer/discovery/discover-products',
        { advertiserId: Number(advertiserId), refine: [{ scope: 'request', ask: 'more video' }] },
        'discoveryId',
      ],
      ['POST', '/api/v2/buyer/campaigns', { ...campaignBody, dataDelivery: {} }, 'dataDelivery'],
      ['POST', '/api/v2/buyer/campaigns', { ...campaignBody, productIds: ['a'] }, 'productIds'],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await h.call(method, url, { key: buyer.key, body });
      expect(res.status, `${field}: ${res.text}`).toBe(400);
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toMatch(/not served|discovery/);
    }
    const manual = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: buyer.key,
      body: { ...campaignBody, optimizationApplyMode: 'MANUAL', progressive: true },
    });
    expect(manual.status, manual.text).toBe(201);
    const patched = await h.call('PATCH', '/api/v2/buyer/media-buys/mb_none', {
      key: buyer.key,
      body: { creative_ids: ['c1'] },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.error.field).toBe('creative_ids');
  });

  it('forwards refine to the session’s agents as AdCP buying_mode refine, naming each product to the agent that offered it', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const first = await discover(h, buyer.key, {
      advertiserId: Number(advertiserId),
      brief: 'Outdoor display',
      storefrontIds: [sf.id, sfSdk.id],
      progressive: true,
    });
    expect(first.status, first.text).toBe(200);
    expect(first.body.data.resultsComplete).toBe(true);
    const product = productsOf(first.body.data, sf.platformId)[0];
    expect(product).toBeDefined();
    const sdkProduct = productsOf(first.body.data, sfSdk.platformId)[0];
    expect(sdkProduct).toBeDefined();
    const before = demo.toolCalls().length;
    const refined = await discover(h, buyer.key, {
      advertiserId: Number(advertiserId),
      discoveryId: first.body.data.discoveryId,
      storefrontIds: [sf.id, sfSdk.id],
      refine: [
        { scope: 'request', ask: 'more video, less display' },
        { scope: 'product', id: product.productId, action: 'more_like_this', ask: 'same audience' },
        { scope: 'product', id: sdkProduct.productId, action: 'more_like_this' },
        { scope: 'product', id: 'not_offered_here', action: 'omit' },
      ],
    });
    expect(refined.status, refined.text).toBe(200);
    // The SDK's example seller takes the refine our storefront forwards and still answers.
    expect(agentResultOf(refined.body.data, sfSdk.platformId)).toMatchObject({ success: true });
    expect(productsOf(refined.body.data, sfSdk.platformId).length).toBeGreaterThan(0);
    const asked = demo
      .toolCalls()
      .slice(before)
      .filter((c) => c.tool === 'get_products')
      .map((c) => c.args as Json);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked[0].buying_mode).toBe('refine');
    expect(asked[0].brief).toBeUndefined();
    expect(asked[0].refine[0]).toEqual({ scope: 'request', ask: 'more video, less display' });
    expect(asked[0].refine[1]).toMatchObject({ scope: 'product', action: 'more_like_this' });
    expect(asked[0].refine).toHaveLength(2);
  });
});
