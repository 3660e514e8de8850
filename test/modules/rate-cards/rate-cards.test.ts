import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

/**
 * The seller's rate card over REST (issue 47, item 3): hosted's `compositionPricing` on
 * PUT/GET /storefront, and Interchange's per-fact CRUD; isolation and bad input.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const facts = '/api/v2/storefront/pricing-facts';
const ctvFloor = {
  id: 'ctv-floor',
  label: 'CTV floor',
  appliesWhen: 'Any connected-TV product in the UK',
  hints: { channels: ['ctv'], countries: ['GB'] },
  pricing: { pricingModel: 'cpm', currency: 'GBP', floorPrice: 30, ceilingPrice: 90 },
  strength: 'hard_floor',
  provenance: '2026 rate card, page 3',
};

async function putCard(seller: TestCustomer, rateCard: Record<string, unknown>) {
  return h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { compositionPricing: { targetPercentile: 'p50', rateCard } },
  });
}

describe('rate card: happy path', () => {
  it('replaces the card through PUT /storefront and reads it back in GET /storefront', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const empty = await h.call('GET', '/api/v2/storefront', { key: seller.key });
    expect(empty.body.data.compositionPricing).toEqual({
      targetPercentile: 'p75',
      rateCard: { facts: [] },
    });
    const put = await putCard(seller, {
      currency: 'GBP',
      facts: [
        ctvFloor,
        { id: 'display', label: 'Display', appliesWhen: 'Display', pricing: { targetPrice: 8 } },
      ],
    });
    expect(put.status, put.text).toBe(200);
    const read = await h.call('GET', '/api/v2/storefront', { key: seller.key });
    expect(read.body.data.compositionPricing).toEqual({
      targetPercentile: 'p50',
      rateCard: {
        currency: 'GBP',
        facts: [
          { ...ctvFloor, updatedAt: expect.any(String) },
          {
            id: 'display',
            label: 'Display',
            appliesWhen: 'Display',
            hints: {},
            pricing: { pricingModel: 'cpm', targetPrice: 8 },
            strength: 'default',
            updatedAt: expect.any(String),
          },
        ],
      },
    });
    // Replacing is whole: a card of one fact leaves one.
    const again = await putCard(seller, { facts: [ctvFloor] });
    expect(
      again.body.data.compositionPricing.rateCard.facts.map((f: { id: string }) => f.id),
    ).toEqual(['ctv-floor']);
  });

  it('creates, reads, replaces and deletes one fact', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const created = await h.call('POST', facts, { key: seller.key, body: ctvFloor });
    expect(created.status, created.text).toBe(201);
    expect(created.body.data).toMatchObject({ id: 'ctv-floor', strength: 'hard_floor' });
    const replaced = await h.call('PUT', `${facts}/ctv-floor`, {
      key: seller.key,
      body: { ...ctvFloor, id: undefined, pricing: { pricingModel: 'cpm', floorPrice: 35 } },
    });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.body.data.pricing).toEqual({ pricingModel: 'cpm', floorPrice: 35 });
    const listed = await h.call('GET', facts, { key: seller.key });
    expect(listed.body.data).toMatchObject({ total: 1, items: [{ id: 'ctv-floor' }] });
    const removed = await h.call('DELETE', `${facts}/ctv-floor`, { key: seller.key });
    expect(removed.status, removed.text).toBe(200);
    const gone = await h.call('GET', `${facts}/ctv-floor`, { key: seller.key });
    expect(gone.status).toBe(404);
  });
});

describe('rate card: errors', () => {
  it('refuses a fact that cannot price, naming the field', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const noFloor = await putCard(seller, {
      facts: [{ ...ctvFloor, pricing: { pricingModel: 'cpm', ceilingPrice: 10 } }],
    });
    expect(noFloor.status, noFloor.text).toBe(400);
    expect(noFloor.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'compositionPricing.rateCard.facts.0.pricing.floorPrice',
    });
    const inverted = await h.call('POST', facts, {
      key: seller.key,
      body: { ...ctvFloor, pricing: { pricingModel: 'cpm', floorPrice: 50, ceilingPrice: 40 } },
    });
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.field).toBe('pricing.ceilingPrice');
    const badStrength = await h.call('POST', facts, {
      key: seller.key,
      body: { ...ctvFloor, strength: 'sometimes' },
    });
    expect(badStrength.status).toBe(400);
    expect(badStrength.body.error.field).toBe('strength');
    const badId = await h.call('POST', facts, {
      key: seller.key,
      body: { ...ctvFloor, id: '-x y' },
    });
    expect(badId.status).toBe(400);
    expect(badId.body.error.field).toBe('id');
    const twice = await putCard(seller, { facts: [ctvFloor, ctvFloor] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.field).toBe('compositionPricing.rateCard.facts.1.id');
    // Nothing of a refused card was kept.
    const read = await h.call('GET', facts, { key: seller.key });
    expect(read.body.data.total).toBe(0);
    await h.call('POST', facts, { key: seller.key, body: ctvFloor });
    const taken = await h.call('POST', facts, { key: seller.key, body: ctvFloor });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'CONFLICT', field: 'id' });
  });
});

describe('rate card: security', () => {
  it("answers another seller's fact NOT_FOUND and refuses buyers", async () => {
    const [owner, other] = await Promise.all([
      createCustomer(h, { role: 'SELLER' }),
      createCustomer(h, { role: 'SELLER' }),
    ]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    expect((await h.call('POST', facts, { key: owner.key, body: ctvFloor })).status).toBe(201);
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { ...ctvFloor, id: undefined }],
      ['DELETE', undefined],
    ] as const) {
      const res = await h.call(method, `${facts}/ctv-floor`, { key: other.key, body });
      expect(res.status, `${method} ${res.text}`).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    expect((await h.call('GET', facts, { key: other.key })).body.data.total).toBe(0);
    const asBuyer = await h.call('GET', facts, { key: buyer.key });
    expect(asBuyer.status).toBe(403);
    expect((await h.call('GET', facts)).status).toBe(401);
    // The owner's fact is untouched.
    const own = await h.call('GET', `${facts}/ctv-floor`, { key: owner.key });
    expect(own.body.data.pricing.floorPrice).toBe(30);
  });
});
