import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  agentClient,
  listen,
  storefrontWith,
  syncSandboxAccount,
} from './storefront-agent-support.js';

// What the AdCP 3.1.19 storyboards send the storefront's comply_test_controller
// (universal/deterministic-testing.yaml, stale-response-advisory.yaml, the seeded fixtures of
// idempotency.yaml), over MCP with the official client.

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

const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };
const live = { brand: { domain: 'test.example' }, operator: 'test.example' };
const pin = { adcp_version: '3.1' };
const storyboardProduct = {
  delivery_type: 'non_guaranteed',
  channels: ['display'],
  format_ids: [{ id: 'display_300x250' }],
};

async function buyerOn(platformId: string) {
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, platformId, buyer.key);
  const control = (scenario: string, params: Record<string, unknown>, account: unknown = sandbox) =>
    agent.call('comply_test_controller', {
      scenario,
      params,
      account,
      context: { correlation_id: `probe--${scenario}` },
    });
  return { agent, control };
}

describe('the storefront test controller, as the 3.1 storyboards drive it', () => {
  it('tells an unknown scenario and missing params from a live account, which is FORBIDDEN', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
    const { agent, control } = await buyerOn(sf.platformId);
    try {
      // The storyboards' negative steps assert the sandbox and name no account: a buyer whose
      // accounts here are all live has no sandbox to name (comply-controller-mode-gate.yaml),
      // one that synced a sandbox account has.
      const modeGate = await control(
        'force_creative_status',
        {
          creative_id: 'comply-live-mode-probe-000',
          status: 'approved',
        },
        { sandbox: true },
      );
      expect(modeGate).toMatchObject({ success: false, error: 'FORBIDDEN' });
      await syncSandboxAccount(agent);
      const unknown = await control('nonexistent_scenario', {}, { sandbox: true });
      expect(unknown).toMatchObject({
        success: false,
        error: 'UNKNOWN_SCENARIO',
        context: { correlation_id: 'probe--nonexistent_scenario' },
      });
      const missing = await control('force_creative_status', {}, { sandbox: true });
      expect(['INVALID_PARAMS', 'UNKNOWN_SCENARIO']).toContain(missing.error);
      const refused = await control('seed_product', { product_id: 'x', fixture: {} }, live);
      expect(refused).toMatchObject({ success: false, error: 'FORBIDDEN' });
      const scenarios = await control('list_scenarios', {});
      expect(scenarios.scenarios).toEqual(
        expect.arrayContaining(['simulate_delivery', 'force_upstream_unavailable']),
      );
    } finally {
      await agent.close();
    }
  });

  it("checks a seed's replay against the caller's own fixtures only", async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
    const a = await buyerOn(sf.platformId);
    const b = await buyerOn(sf.platformId);
    try {
      const seed = (buyer: typeof a, fixture: Record<string, unknown>) =>
        buyer.control('seed_product', { product_id: 'test-product', fixture });
      expect((await seed(a, storyboardProduct)).success).toBe(true);
      // Another buyer's test-product is another product: its fixture may differ.
      expect((await seed(b, { delivery_type: 'guaranteed', channels: ['olv'] })).success).toBe(
        true,
      );
      expect((await seed(a, storyboardProduct)).success).toBe(true);
      expect(await seed(a, { delivery_type: 'guaranteed' })).toMatchObject({
        success: false,
        error: 'INVALID_PARAMS',
      });
      const shown = await b.agent.call('get_products', {
        buying_mode: 'wholesale',
        account: sandbox,
      });
      const product = shown.products.find(
        (p: { product_id: string }) => p.product_id === 'test-product',
      );
      expect(product.delivery_type).toBe('guaranteed');
    } finally {
      await a.agent.close();
      await b.agent.close();
    }
  });

  it("serves a sandbox account's get_products stale, with the advisory, once its upstream is forced down", async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
    const a = await buyerOn(sf.platformId);
    const b = await buyerOn(sf.platformId);
    const sourceCalls = () => seller.toolCalls().filter((c) => c.tool === 'get_products').length;
    try {
      const wrongTool = await a.control('force_upstream_unavailable', { tool: 'create_media_buy' });
      expect(wrongTool).toMatchObject({ success: false, error: 'INVALID_PARAMS' });
      const forced = await a.control('force_upstream_unavailable', {
        tool: 'get_products',
        upstream_name: 'inventory-service',
      });
      expect(forced, JSON.stringify(forced)).toMatchObject({
        success: true,
        current_state: 'unavailable',
        context: { correlation_id: 'probe--force_upstream_unavailable' },
      });

      const before = sourceCalls();
      const stale = await a.agent.call('get_products', {
        ...pin,
        buying_mode: 'brief',
        brief: 'Display advertising',
        account: sandbox,
      });
      expect(stale.isError).toBe(false);
      expect(stale.products.length).toBeGreaterThan(0);
      expect(stale.errors[0]).toMatchObject({
        code: 'STALE_RESPONSE',
        details: { served_from_cache: true, upstream: { name: 'inventory-service' } },
      });
      expect(stale.errors[0].details.cache_age_seconds).toBeGreaterThanOrEqual(0);
      expect(sourceCalls()).toBe(before);

      // The same buyer's live account, a 3.0 call, and another buyer's sandbox: all answered live.
      const answers = [
        await a.agent.call('get_products', { ...pin, buying_mode: 'wholesale' }),
        await a.agent.call('get_products', { buying_mode: 'wholesale', account: sandbox }),
        await b.agent.call('get_products', { ...pin, buying_mode: 'wholesale', account: sandbox }),
      ];
      for (const answer of answers) {
        expect(answer.isError).toBe(false);
        expect(JSON.stringify(answer.errors ?? [])).not.toContain('STALE_RESPONSE');
      }
      // They were answered live: the source was asked again (the stale answer asked it nothing).
      expect(sourceCalls()).toBeGreaterThan(before);
    } finally {
      await a.agent.close();
      await b.agent.close();
    }
  });
});
