import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import type { FastifyInstance } from 'fastify';
import {
  agentResultOf,
  buyerWithAdvertiser,
  discover,
  productsOf,
  selectionOf,
} from './buying-support.js';

let h: Harness;
let demo: RunningSeller;
let sf: { id: number; platformId: string };
let down: { id: number; platformId: string };
/** A second instance over the same database, with services (and caches) of its own. */
let other: FastifyInstance;

beforeAll(async () => {
  h = await createHarness();
  const gone = await startSeller('mcp');
  demo = await startSeller('mcp');
  sf = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]);
  down = await storefrontWith(h, [{ sourceId: 'gone', url: gone.url }]);
  // Once live, one storefront's seller goes away: its agent fails every discovery.
  await gone.close();
  other = await h.buildApp({}, { services: true });
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
    // Browsing shows the second round only, as the second answer showed it.
    const browsed = await h.call('GET', `${base}/${discoveryId}/discover-products`, {
      key: buyer.key,
    });
    expect(browsed.body.data.revision).toBe(2);
    expect(browsed.body.data.productGroups).toEqual(again.body.data.productGroups);
    expect(browsed.body.data.agentResults.map((a: { agentId: string }) => a.agentId)).toEqual(
      again.body.data.agentResults.map((a: { agentId: string }) => a.agentId),
    );
  });

  it('is recorded before it is answered: another instance browses, selects and builds a campaign on it at once', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const found = await discover(h, buyer.key, { advertiserId, brief });
    expect(found.status, found.text).toBe(200);
    const { discoveryId } = found.body.data;
    const browsed = await h.call('GET', `${base}/${discoveryId}/discover-products`, {
      key: buyer.key,
      app: other,
    });
    expect(browsed.status, browsed.text).toBe(200);
    expect(browsed.body.data.productGroups).toEqual(found.body.data.productGroups);
    expect(browsed.body.data.agentResults).toEqual(found.body.data.agentResults);
    const product = productsOf(found.body.data, sf.platformId)[0];
    const selected = await h.call('POST', `${base}/${discoveryId}/products`, {
      key: buyer.key,
      body: { products: [selectionOf(product)] },
      app: other,
    });
    expect(selected.status, selected.text).toBe(200);
    expect(selected.body.data.totalProducts).toBe(1);
    const start = new Date(Date.now() + 86_400_000);
    const campaign = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: buyer.key,
      app: other,
      body: {
        advertiserId: Number(advertiserId),
        name: 'At once',
        flightDates: {
          startDate: start.toISOString(),
          endDate: new Date(start.getTime() + 7 * 86_400_000).toISOString(),
        },
        budget: { total: 20_000, currency: 'USD' },
        discoveryId,
      },
    });
    expect(campaign.status, campaign.text).toBe(201);
    // Another buyer still finds nothing there.
    const stranger = await createCustomer(h, { role: 'BUYER' });
    const foreign = await h.call('GET', `${base}/${discoveryId}/discover-products`, {
      key: stranger.key,
      app: other,
    });
    expect(foreign.status).toBe(404);
  });

  it("records a failing agent's answer beside the others", async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const found = await discover(h, buyer.key, { advertiserId, brief });
    expect(found.status, found.text).toBe(200);
    const browsed = await h.call(
      'GET',
      `${base}/${found.body.data.discoveryId}/discover-products`,
      { key: buyer.key, app: other },
    );
    expect(browsed.status, browsed.text).toBe(200);
    const failed = agentResultOf(browsed.body.data, down.platformId);
    expect(failed).toMatchObject({ success: false, timedOut: false, productCount: 0 });
    expect(failed.error).toEqual(expect.any(String));
    expect(agentResultOf(browsed.body.data, sf.platformId)).toMatchObject({ success: true });
    expect(productsOf(browsed.body.data, sf.platformId).length).toBeGreaterThan(0);
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
