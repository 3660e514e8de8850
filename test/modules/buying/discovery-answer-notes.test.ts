import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import {
  buyerWithAdvertiser,
  discover,
  type Json,
  productsOf,
  productsOfAgent,
  remoteAgent,
  selectionOf,
} from './buying-support.js';

let h: Harness;
let demo: RunningSeller;
let locked: RunningSeller;
beforeAll(async () => {
  h = await createHarness();
  [demo, locked] = await Promise.all([startSeller('mcp'), startSeller('bearer')]);
});
afterAll(async () => {
  await Promise.all([demo?.close(), locked?.close()]);
  await h?.close();
});

const brief = 'Outdoor display for a spring launch';

describe('a discovery answer', () => {
  it('names in connectionIssues the source that gave nothing, why, and the fix, on discover and browse', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'demo', url: demo.url },
      { sourceId: 'private', url: locked.url, token: locked.token, requiresCredentials: true },
    ]);
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const found = await discover(h, buyer.key, {
      advertiserId: Number(advertiserId),
      brief,
      storefrontIds: [sf.id],
    });
    expect(found.status, found.text).toBe(200);
    const page: Json = found.body.data;
    // The storefront answered (with the demo source's products) ...
    expect(productsOf(page, sf.platformId).length).toBeGreaterThan(0);
    // ... and says which of its sources did not, and what to do.
    const issue = {
      providerType: 'inventory_source',
      storefrontId: String(sf.id),
      salesAgentId: `storefront-${sf.platformId}`,
      sourceId: 'private',
      reason: 'not_connected',
      code: 'AUTH_REQUIRED',
      suggestion: expect.stringContaining(`/sources/private/credentials`),
    };
    expect(page.connectionIssues).toEqual([expect.objectContaining(issue)]);
    const browsed = await h.call(
      'GET',
      `/api/v2/buyer/discovery/${page.discoveryId}/discover-products`,
      { key: buyer.key },
    );
    expect(browsed.body.data.connectionIssues).toEqual([expect.objectContaining(issue)]);
    expect(browsed.body.data.refinementApplied).toBeUndefined();

    // A session bound to no campaign says so where products are selected.
    const product = productsOf(page, sf.platformId)[0];
    const selected = await h.call('POST', `/api/v2/buyer/discovery/${page.discoveryId}/products`, {
      key: buyer.key,
      body: { products: [selectionOf(product, 1000)] },
    });
    expect(selected.body.data).toMatchObject({
      campaignBound: false,
      campaignWarning: expect.stringContaining('campaignId'),
    });
  });

  it('answers refinementApplied by position in the refine array, from what each agent said', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const agentId = await remoteAgent(h, buyer.key, {
      name: 'Demo direct',
      endpointUrl: demo.url,
      protocol: 'mcp',
    });
    const first = await discover(h, buyer.key, {
      advertiserId: Number(advertiserId),
      brief,
      salesAgentIds: [agentId],
    });
    expect(first.status, first.text).toBe(200);
    const offered: Json[] = productsOfAgent(first.body.data, agentId);
    expect(offered.length).toBeGreaterThan(1);
    // The seller answers the refine with what it did about each ask it was sent.
    demo.answerInstead!(
      'get_products',
      {
        data: {
          products: [],
          refinement_applied: [
            { scope: 'request', status: 'partial', notes: 'no more video inventory' },
            { scope: 'product', product_id: 'x', status: 'applied' },
          ],
        },
      },
      1,
    );
    const refined = await discover(h, buyer.key, {
      advertiserId: Number(advertiserId),
      discoveryId: first.body.data.discoveryId,
      salesAgentIds: [agentId],
      refine: [
        { scope: 'request', ask: 'more video' },
        { scope: 'product', id: 'nobody_offered_this', action: 'omit' },
        { scope: 'product', id: offered[0].productId, action: 'more_like_this' },
      ],
    });
    expect(refined.status, refined.text).toBe(200);
    expect(refined.body.data.refinementApplied).toEqual([
      { scope: 'request', status: 'partial', notes: 'Demo direct: no more video inventory' },
      {
        scope: 'product',
        id: 'nobody_offered_this',
        status: 'unable',
        notes: expect.stringContaining('No agent was asked'),
      },
      { scope: 'product', id: offered[0].productId, status: 'applied' },
    ]);
  });
});
