import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adcp31Schemas } from '../../src/agents/adcp31/index.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { a2aBuyer } from './a2a-buyer.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * AdCP 3.1 version negotiation on a storefront agent: a 3.0 buyer (no adcp_version) and a 3.1
 * buyer on the same storefront, over MCP and A2A. The 3.0 buyer gets the answers it always got
 * (capabilities included); the 3.1 buyer gets the same answers in 3.1's envelope.
 * Run with NODE_ENV=production, where @adcp/sdk validates nothing: what is checked is ours.
 */

const previousEnv = process.env['NODE_ENV'];
let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  process.env['NODE_ENV'] = 'production';
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await listen(h);
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  process.env['NODE_ENV'] = previousEnv;
  await seller?.close();
  await h?.close();
});

const { capabilitiesAdcp, protocolEnvelope } = adcp31Schemas;
const envelopeOf31 = ['status', 'adcp_version'];
const without = (answer: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(Object.entries(answer).filter(([key]) => !keys.includes(key)));

/** An answer without what 3.1 adds to its products and buys (allowed_actions, health, …). */
function without31(answer: Record<string, unknown>) {
  const items = (key: string, fields: string[]) =>
    Array.isArray(answer[key]) && {
      [key]: (answer[key] as Array<Record<string, unknown>>).map((item) => without(item, fields)),
    };
  // A wholesale answer's feed version and its cache scope (adcp31/feeds) are 3.1's too.
  return {
    ...without(answer, ['wholesale_feed_version', 'cache_scope']),
    ...items('products', ['allowed_actions', 'format_options']),
    ...items('media_buys', ['available_actions', 'health', 'impairments']),
  };
}

async function buyersOn() {
  const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }]);
  const [old, current] = await Promise.all([
    createCustomer(h, { role: 'BUYER' }),
    createCustomer(h, { role: 'BUYER' }),
  ]);
  return {
    mcp30: await agentClient(base, sf.platformId, old.key),
    mcp31: await agentClient(base, sf.platformId, current.key),
    a2a30: await a2aBuyer(base, sf.platformId, old.key),
    a2a31: await a2aBuyer(base, sf.platformId, current.key),
  };
}

describe('a 3.0 buyer and a 3.1 buyer on one storefront', () => {
  it('answers both over MCP: the 3.0 buyer as before, the 3.1 buyer in 3.1’s envelope', async () => {
    const { mcp30, mcp31 } = await buyersOn();
    try {
      const caps30 = await mcp30.call('get_adcp_capabilities', { context: { trace: 'a' } });
      const caps31 = await mcp31.call('get_adcp_capabilities', {
        adcp_version: '3.1',
        context: { trace: 'b' },
      });
      // The 3.0 buyer's capabilities are today's: no 3.1 field anywhere (@adcp/sdk 6.11's client
      // treats an agent advertising supported_versions as a 3.1 seller).
      expect(caps30.adcp.major_versions).toEqual([3]);
      expect(caps30.adcp).not.toHaveProperty('supported_versions');
      expect(caps31.adcp.supported_versions).toEqual(['3.0', '3.1']);
      const { supported_versions: _releases, ...adcp31Rest } = caps31.adcp;
      const { in_flight_max_seconds: _bound, ...idempotency31 } = caps31.adcp.idempotency;
      // 3.1 also declares the governance-aware seller it is (adcp31/governance), to 3.1 only.
      expect(caps31.specialisms).toContain('governance-aware-seller');
      expect(caps31.media_buy.governance_aware).toBe(true);
      // And the media_buy fields 3.1 adds, where it does what they say: get_products' wholesale
      // and refine modes, a buy's impairments on get_media_buys (storyboards gate on both).
      expect(caps31.media_buy.buying_modes).toEqual(['brief', 'wholesale', 'refine']);
      expect(caps31.media_buy.propagation_surfaces).toEqual(['snapshot']);
      expect(caps30.media_buy).not.toHaveProperty('buying_modes');
      expect(caps30.media_buy).not.toHaveProperty('propagation_surfaces');
      // And the rollup of what its products optimise for (the demo seller's: adcp31-rollups).
      expect(caps31.media_buy.supported_optimization_metrics).toEqual([
        'clicks',
        'views',
        'completed_views',
      ]);
      expect(caps30.media_buy).not.toHaveProperty('supported_optimization_metrics');
      // And that it takes creatives inline on a buy's packages (its agent source takes them on
      // updates: buys/inline-creatives.ts), to 3.1 only: a 3.0 buyer's answer is as before.
      expect(caps31.media_buy.features.inline_creative_management).toBe(true);
      expect(caps30.media_buy.features.inline_creative_management).toBe(false);
      const {
        governance_aware: _aware,
        buying_modes: _modes,
        propagation_surfaces: _surfaces,
        supported_optimization_metrics: _metrics,
        ...mediaBuy31
      } = caps31.media_buy;
      // And that its wholesale answers carry a feed version (adcp31/feeds), to 3.1 only.
      expect(caps31.wholesale_feed_versioning).toEqual({
        supported: true,
        pricing_version_separate: false,
      });
      expect(caps30).not.toHaveProperty('wholesale_feed_versioning');
      // And the feed webhooks a 3.1 buyer registers with sync_accounts (adcp31/accounts).
      expect(caps31.wholesale_feed_webhooks).toMatchObject({ supported: true });
      expect(caps30).not.toHaveProperty('wholesale_feed_webhooks');
      // And the creative block 3.1 asks of a `creative` protocol (adcp31/creative-capabilities):
      // creatives bill nothing through AdCP, nothing is built so nothing is evaluated.
      expect(caps31.supported_protocols).toContain('creative');
      expect(caps31.creative).toEqual({ bills_through_adcp: false, supports_evaluator: false });
      expect(caps31.experimental_features ?? []).not.toContain('creative.evaluator');
      expect(caps30).not.toHaveProperty('creative');
      expect({
        ...without(caps31, [
          ...envelopeOf31,
          'context',
          'wholesale_feed_versioning',
          'wholesale_feed_webhooks',
          'creative',
        ]),
        adcp: { ...adcp31Rest, idempotency: idempotency31 },
        specialisms: caps31.specialisms.filter((s: string) => s !== 'governance-aware-seller'),
        media_buy: {
          ...mediaBuy31,
          features: { ...mediaBuy31.features, inline_creative_management: false },
        },
        compliance_testing: caps30.compliance_testing,
      }).toEqual(without(caps30, ['context']));
      // 3.1's scenario list names every scenario the test controller serves; 3.0's stays as it was.
      expect(caps31.compliance_testing.scenarios).toEqual(
        expect.arrayContaining([
          ...caps30.compliance_testing.scenarios,
          'force_create_media_buy_arm',
          'force_get_products_arm',
          'force_task_completion',
        ]),
      );
      expect(caps30).not.toHaveProperty('status');
      expect(caps30).not.toHaveProperty('adcp_version');
      expect(caps30.adcp.idempotency).not.toHaveProperty('in_flight_max_seconds');
      expect(caps31).toMatchObject({ status: 'completed', adcp_version: '3.1' });
      expect(caps31.context).toEqual({ trace: 'b' });
      expect(capabilitiesAdcp.safeParse(caps31.adcp).success).toBe(true);
      expect(protocolEnvelope.safeParse(without(caps31, ['isError'])).success).toBe(true);
      // How long a claim on a key holds (INTERCHANGE_IDEMPOTENCY_CLAIM_SECONDS, default 120).
      expect(caps31.adcp.idempotency.in_flight_max_seconds).toBe(120);

      for (const [tool, args] of [
        ['get_products', { buying_mode: 'wholesale' }],
        ['list_creative_formats', {}],
        ['get_media_buys', {}],
      ] as const) {
        const old = await mcp30.call(tool, args);
        const current = await mcp31.call(tool, { ...args, adcp_version: '3.1' });
        expect(old.isError, JSON.stringify(old)).toBe(false);
        expect(old, tool).not.toHaveProperty('adcp_version');
        expect(old, tool).not.toHaveProperty('status');
        expect(current, tool).toMatchObject({ status: 'completed', adcp_version: '3.1' });
        // The same answer: 3.1 adds its envelope and, on products and buys, what 3.1 says of them
        // (adcp31-actions.test.ts), nothing else.
        expect(without31(without(current, envelopeOf31)), tool).toEqual(old);
      }
    } finally {
      await Promise.all([mcp30.close(), mcp31.close()]);
    }
  });

  it('answers both over A2A, the 3.1 buyer’s data part carrying the envelope', async () => {
    const { a2a30, a2a31 } = await buyersOn();
    const caps30 = await a2a30.call('get_adcp_capabilities', {});
    const caps31 = await a2a31.call('get_adcp_capabilities', { adcp_version: '3.1' });
    expect(caps30.adcp).not.toHaveProperty('supported_versions');
    expect(caps31.adcp.supported_versions).toEqual(['3.0', '3.1']);
    expect(caps30).not.toHaveProperty('adcp_version');
    expect(caps31).toMatchObject({ state: 'completed', status: 'completed', adcp_version: '3.1' });
    expect(caps31.creative).toEqual({ bills_through_adcp: false, supports_evaluator: false });
    expect(caps30).not.toHaveProperty('creative');

    const old = await a2a30.call('get_products', { buying_mode: 'wholesale' });
    const current = await a2a31.call('get_products', {
      buying_mode: 'wholesale',
      adcp_version: '3.1',
    });
    expect(old.state).toBe('completed');
    expect(old).not.toHaveProperty('adcp_version');
    expect(current).toMatchObject({ state: 'completed', status: 'completed', adcp_version: '3.1' });
    expect(without31(current).products).toEqual(old.products);
  });

  it('serves a pin in the highest release at or below it, and echoes that release', async () => {
    const { mcp31, a2a31 } = await buyersOn();
    try {
      const later = await mcp31.call('list_creative_formats', { adcp_version: '3.4' });
      expect(later).toMatchObject({ adcp_version: '3.1', status: 'completed' });
      // A 3.1 prerelease sorts below 3.1: served 3.0, which has no envelope status.
      const beta = await mcp31.call('list_creative_formats', { adcp_version: '3.1-beta.5' });
      expect(beta.adcp_version).toBe('3.0');
      expect(beta).not.toHaveProperty('status');
      const pinned30 = await a2a31.call('list_creative_formats', { adcp_version: '3.0' });
      expect(pinned30).toMatchObject({ state: 'completed', adcp_version: '3.0' });
      expect(pinned30).not.toHaveProperty('status');
    } finally {
      await mcp31.close();
    }
  });

  it('refuses another major with VERSION_UNSUPPORTED naming the releases it speaks', async () => {
    const { mcp30, mcp31, a2a31 } = await buyersOn();
    try {
      const brief = { buying_mode: 'brief', brief: 'Version probe', context: { probe: 1 } };
      const refused = await mcp31.call('get_products', { ...brief, adcp_version: '99.0' });
      expect(refused).toMatchObject({
        isError: true,
        status: 'failed',
        adcp_error: {
          code: 'VERSION_UNSUPPORTED',
          recovery: 'correctable',
          details: { supported_versions: ['3.0', '3.1'], supported_majors: [3] },
        },
        context: { probe: 1 },
      });
      expect(refused.errors[0].code).toBe('VERSION_UNSUPPORTED');
      const disagreeing = await a2a31.call('get_products', {
        ...brief,
        adcp_version: '3.1',
        adcp_major_version: 4,
      });
      expect(disagreeing.state).toBe('failed');
      expect(disagreeing.adcp_error.code).toBe('VERSION_UNSUPPORTED');
      const malformed = await mcp31.call('get_products', { ...brief, adcp_version: 'v3' });
      expect(malformed.adcp_error).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'adcp_version',
      });
      // An unpinned request's adcp_major_version is still judged by @adcp/sdk, as before.
      const legacy = await mcp30.call('get_products', { ...brief, adcp_major_version: 99 });
      expect(legacy.adcp_error.code).toBe('VERSION_UNSUPPORTED');
      expect(legacy).not.toHaveProperty('errors');
    } finally {
      await Promise.all([mcp30.close(), mcp31.close()]);
    }
  });
});
