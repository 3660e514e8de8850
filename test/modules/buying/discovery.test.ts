import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import { buyerWithAdvertiser, discover, productsOf, selectionOf } from './buying-support.js';

let h: Harness;
let demo: RunningSeller;
let sf: { id: number; platformId: string };

beforeAll(async () => {
  h = await createHarness();
  demo = await startSeller('mcp');
  sf = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]);
});
afterAll(async () => {
  await demo?.close();
  await h?.close();
});

const brief = 'Premium video for a back-to-school campaign';
const base = '/api/v2/buyer/discovery';

describe('discovery sessions', () => {
  it('asks again in the same session (revision + 1) and keeps the selections', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const first = await discover(h, buyer.key, { advertiserId, brief });
    expect(first.status, first.text).toBe(200);
    const { discoveryId } = first.body.data;
    expect(first.body.data.revision).toBe(1);
    const product = productsOf(first.body.data, sf.platformId)[0];
    await h.call('POST', `${base}/${discoveryId}/products`, {
      key: buyer.key,
      body: { products: [selectionOf(product)] },
    });
    const calls = demo.toolCalls().filter((c) => c.tool === 'get_products').length;
    const again = await discover(h, buyer.key, {
      advertiserId,
      discoveryId,
      brief: `${brief}, CTV only`,
      channels: ['ctv'],
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body.data).toMatchObject({ discoveryId, revision: 2 });
    expect(demo.toolCalls().filter((c) => c.tool === 'get_products').length).toBe(calls + 1);
    const selected = await h.call('GET', `${base}/${discoveryId}/products`, { key: buyer.key });
    expect(selected.body.data.products.map((p: { productId: string }) => p.productId)).toEqual([
      product.productId,
    ]);
  });

  it('shows one product in full, and deselects it', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const found = (await discover(h, buyer.key, { advertiserId, brief })).body.data;
    const product = productsOf(found, sf.platformId)[0];
    const details = await h.call(
      'GET',
      `${base}/${found.discoveryId}/products/${encodeURIComponent(product.productId)}/details?salesAgentId=${product.salesAgentId}`,
      { key: buyer.key },
    );
    expect(details.status).toBe(200);
    expect(details.body.data).toMatchObject({
      productId: product.productId,
      salesAgentId: `storefront-${sf.platformId}`,
      storefrontId: String(sf.id),
    });
    expect(details.body.data.pricingOptions.length).toBeGreaterThan(0);
    await h.call('POST', `${base}/${found.discoveryId}/products`, {
      key: buyer.key,
      body: { products: [selectionOf(product)] },
    });
    const removed = await h.call('DELETE', `${base}/${found.discoveryId}/products`, {
      key: buyer.key,
      body: { productIds: [product.productId] },
    });
    expect(removed.body.data).toMatchObject({ totalProducts: 0, products: [] });
  });
});

describe('discovery: errors', () => {
  it("answers 404 for another buyer's advertiser, and 400 for a flight that ends before it starts", async () => {
    const { advertiserId } = await buyerWithAdvertiser(h);
    const other = await createCustomer(h, { role: 'BUYER' });
    const foreign = await discover(h, other.key, { advertiserId, brief });
    expect(foreign.status).toBe(404);
    const { buyer, advertiserId: own } = await buyerWithAdvertiser(h);
    const backwards = await discover(h, buyer.key, {
      advertiserId: own,
      brief,
      flightDates: { startDate: '2026-06-30T00:00:00Z', endDate: '2026-06-01T00:00:00Z' },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'flightDates.endDate',
    });
    const unknown = await h.call('POST', `${base}/disc_unknown/apply-proposal`, {
      key: buyer.key,
      body: { proposalId: 'p1' },
    });
    expect(unknown.status).toBe(404);
  });
});
