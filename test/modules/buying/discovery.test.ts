import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import { agentResultOf, buyerWithAdvertiser, discover, productsOf } from './buying-support.js';

let h: Harness;
let demo: RunningSeller;
let slow: RunningSeller;
let gone: RunningSeller;
let sf: {
  demo: { id: number; platformId: string };
  slow: { id: number; platformId: string };
  down: { id: number; platformId: string };
};

beforeAll(async () => {
  h = await createHarness({
    INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: '1500',
    INTERCHANGE_SOURCE_BUDGET_MS: '5000',
  });
  [demo, slow, gone] = await Promise.all([
    startSeller('mcp'),
    startSeller('mcp'),
    startSeller('mcp'),
  ]);
  sf = {
    demo: await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]),
    slow: await storefrontWith(h, [{ sourceId: 'slow', url: slow.url }]),
    down: await storefrontWith(h, [{ sourceId: 'gone', url: gone.url }]),
  };
  // Once live, one storefront's seller turns slow (past the per-agent budget) and one goes away.
  slow.setDelay(4000);
  await gone.close();
});
afterAll(async () => {
  await demo?.close();
  await slow?.close();
  await h?.close();
});

describe('discovery across storefronts', () => {
  it('asks every storefront agent at once and reports the slow and the failing one per agent', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const started = Date.now();
    const res = await discover(h, buyer.key, {
      advertiserId: Number(advertiserId),
      brief: 'Outdoor display for a spring launch',
    });
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    const page = res.body.data;
    expect(page.discoveryId).toMatch(/^disc_/);
    expect(productsOf(page, sf.demo.platformId).length).toBeGreaterThan(0);
    expect(agentResultOf(page, sf.demo.platformId)).toMatchObject({
      success: true,
      timedOut: false,
    });
    expect(agentResultOf(page, sf.slow.platformId)).toMatchObject({
      success: false,
      timedOut: true,
    });
    expect(page.incompleteAgents.map((a: { agentId: string }) => a.agentId)).toContain(
      `storefront-${sf.slow.platformId}`,
    );
    const down = agentResultOf(page, sf.down.platformId);
    expect(down).toMatchObject({ success: false, timedOut: false, productCount: 0 });
    expect(down.error).toBeTruthy();
    expect(page.resultsComplete).toBe(false);
    // In parallel: about one per-agent budget, not the sum of the agents' times.
    expect(took).toBeLessThan(1500 + 2500);
  });
});

void createCustomer;
