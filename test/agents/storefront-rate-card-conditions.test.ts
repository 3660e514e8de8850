import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * appliesWhen matched, not only shown (issue 47, item 3): a fact's `conditions` (budget range,
 * flight window, brands) decide whether it applies to a buyer's get_products over MCP; a
 * condition the storefront cannot match is refused at write, named by its field.
 */
let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
});
afterAll(async () => {
  await seller?.close();
  await h.close();
});

type Option = { pricing_model: string; fixed_price?: number; floor_price?: number };
type Product = {
  product_id: string;
  channels?: string[];
  pricing_options: Option[];
  ext?: { interchange?: { rate_card?: Array<{ fact_id: string }> } };
};
const fact = (id: string, conditions: Record<string, unknown>) => ({
  id,
  label: id,
  appliesWhen: 'CTV for big autumn campaigns of acme',
  hints: { channels: ['ctv'] },
  conditions,
  pricing: { pricingModel: 'cpm', targetPrice: 80, floorPrice: 80 },
  strength: 'hard_floor',
});

describe('pricing fact conditions', () => {
  it('applies a hard floor only to the budgets, flights and brands its conditions name', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const post = (body: unknown) =>
      h.call('POST', '/api/v2/storefront/pricing-facts', { key: sf.seller.key, body });

    const unknown = await post(fact('audience', { audience: ['sports fans'] }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'conditions.audience',
    });
    const nested = await post(fact('nested', { budget: { min: 1, currency: 'USD' } }));
    expect(nested.status).toBe(400);
    expect(nested.body.error.field).toBe('conditions.budget.currency');
    const backwards = await post(fact('backwards', { budget: { min: 500, max: 100 } }));
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.field).toBe('conditions.budget.max');

    const written = await post(
      fact('big-autumn-acme', {
        budget: { min: 100_000 },
        flight: { start: '2027-09-01', end: '2027-11-30' },
        brandDomains: ['acme.example'],
      }),
    );
    expect(written.status, written.text).toBe(201);
    expect(written.body.data.conditions).toEqual({
      budget: { min: 100_000 },
      flight: { start: '2027-09-01', end: '2027-11-30' },
      brandDomains: ['acme.example'],
    });

    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const floored = async (brief: string, brand: string) => {
      const answer = await agent.call('get_products', {
        buying_mode: 'brief',
        brief,
        brand: { domain: brand },
        pagination: { max_results: 100 },
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      const ctv = (answer.products as Product[]).filter((p) => p.channels?.includes('ctv'));
      expect(ctv.length).toBeGreaterThan(2);
      const held = ctv.filter((p) =>
        (p.ext?.interchange?.rate_card ?? []).some((f) => f.fact_id === 'big-autumn-acme'),
      );
      if (held.length > 0) {
        for (const p of held)
          for (const o of p.pricing_options)
            expect(o.fixed_price ?? o.floor_price).toBeGreaterThanOrEqual(80);
      }
      return held.length === ctv.length ? 'all' : held.length === 0 ? 'none' : 'some';
    };
    try {
      const october = 'CTV campaign from 2027-10-01 to 2027-10-31';
      expect(await floored(`${october}, budget $250,000`, 'acme.example')).toBe('all');
      // Under the budget range, another brand, or a flight outside the window: not applied.
      expect(await floored(`${october}, budget $20,000`, 'acme.example')).toBe('none');
      expect(await floored(`${october}, budget $250,000`, 'other.example')).toBe('none');
      expect(
        await floored(
          'CTV campaign from 2027-03-01 to 2027-03-31, budget $250,000',
          'acme.example',
        ),
      ).toBe('none');
      // A brief silent on the budget: a hard floor is never escaped by saying less.
      expect(await floored(october, 'acme.example')).toBe('all');
    } finally {
      await agent.close();
    }
  });
});
