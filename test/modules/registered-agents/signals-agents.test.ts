import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import { type FakeSignalsAgent, startFakeSignalsAgent } from '../../fakes/signals-agent.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import {
  buyerWithAdvertiser,
  campaignOver,
  discover,
  type Json,
  productsOf,
  selectionOf,
} from '../buying/buying-support.js';

let h: Harness;
let seller: RunningSeller;
let fake: FakeSignalsAgent;
let storefrontFake: FakeSignalsAgent;
let hanging: FakeSignalsAgent;
let broken: FakeSignalsAgent;

const base = '/api/v2/buyer/signals';
/** The harness's per-agent discovery budget (INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS in test/harness.ts). */
const agentBudgetMs = 20_000;
const fakeToken = 'fake-signals-token-7f3a9c';
const storefrontToken = 'storefront-signals-token-51be02';
const signal = (id: string, name: string) => ({
  signal_agent_segment_id: id,
  signal_id: { source: 'catalog', data_provider_domain: 'audiences.example', id },
  name,
  description: `${name} audience`,
  signal_type: 'marketplace',
  value_type: 'binary',
  data_provider: 'Audiences Example',
  coverage_percentage: 12,
  deployments: [],
  pricing_options: [{ pricing_option_id: `${id}_cpm`, model: 'cpm', cpm: 2, currency: 'USD' }],
});

beforeAll(async () => {
  h = await createHarness();
  [seller, fake, storefrontFake, hanging, broken] = await Promise.all([
    startSeller('mcp'),
    startFakeSignalsAgent({
      kind: 'agent',
      token: fakeToken,
      signals: [signal('runners', 'Runners'), signal('cyclists', 'Cyclists')],
    }),
    startFakeSignalsAgent({
      kind: 'agent',
      token: storefrontToken,
      signals: [signal('outdoor_fans', 'Outdoor fans')],
    }),
    startFakeSignalsAgent({ kind: 'hang' }),
    startFakeSignalsAgent({ kind: 'error500' }),
  ]);
});
afterAll(async () => {
  await Promise.all([seller, fake, storefrontFake, hanging, broken].map((s) => s?.close()));
  await h?.close();
});

async function register(buyer: TestCustomer, name: string, url: string, token?: string) {
  const res = await h.call('POST', `${base}/agents`, {
    key: buyer.key,
    body: { name, endpointUrl: url, ...(token && { auth: { type: 'bearer', token } }) },
  });
  if (res.status !== 201) throw new Error(`agent: ${res.text}`);
  return res.body.data.agentId as string;
}

/** A storefront over the demo seller that also offers a signals agent (a SIGNAL source). */
async function storefrontWithSignals() {
  const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
  const created = await h.call('POST', '/api/v2/storefront/inventory-sources', {
    key: sf.seller.key,
    body: {
      name: 'Audience data',
      sourceId: 'audiences',
      type: 'SIGNAL',
      endpointUrl: storefrontFake.url,
      protocol: 'MCP',
      authenticationType: 'API_KEY',
      auth: { type: 'bearer', token: storefrontToken },
    },
  });
  if (created.status !== 201) throw new Error(`signal source: ${created.text}`);
  const active = await h.call('PUT', '/api/v2/storefront/inventory-sources/audiences', {
    key: sf.seller.key,
    body: { status: 'ACTIVE' },
  });
  if (active.status !== 200) throw new Error(`activate source: ${active.text}`);
  return { ...sf, sourceRowId: created.body.data.id as string };
}

describe('signals agents', () => {
  it('discovers a storefront’s signals agent and activates for the campaign’s sellers', async () => {
    const sf = await storefrontWithSignals();
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const own = await register(buyer, 'Own data', fake.url, fakeToken);

    const found = await h.call('POST', `${base}/discover`, {
      key: buyer.key,
      body: { signalSpec: 'sports audiences', advertiserId, countries: ['US'] },
    });
    expect(found.status, found.text).toBe(200);
    const page = found.body.data;
    const storefrontAgent = `source-${sf.sourceRowId}`;
    expect(page.agentResults).toEqual([
      expect.objectContaining({ agentId: own, success: true, signalCount: 2 }),
      expect.objectContaining({
        agentId: storefrontAgent,
        agentName: 'Audience data',
        success: true,
        signalCount: 1,
        registeredBy: { kind: 'STOREFRONT', storefrontId: sf.id },
      }),
    ]);
    expect(page.signals.map((s: Json) => s.signalId)).toEqual([
      'audiences.example:runners',
      'audiences.example:cyclists',
      'audiences.example:outdoor_fans',
    ]);
    // What the storefront's agent was asked: under the operator's credential, for the brand.
    const asked = storefrontFake.calls().find((c) => c.tool === 'get_signals')!;
    expect(asked.authorization).toBe(`Bearer ${storefrontToken}`);
    expect(asked.args).toMatchObject({
      signal_spec: 'sports audiences',
      countries: ['US'],
      account: { brand: { domain: 'acmeoutdoor.example' } },
    });

    // A campaign over the storefront's products: the storefront is its seller.
    const products = await discover(h, buyer.key, {
      advertiserId: Number(advertiserId),
      brief: 'Outdoor display',
      storefrontIds: [sf.id],
    });
    const discovery = products.body.data;
    const product = productsOf(discovery, sf.platformId)[0];
    expect(product, JSON.stringify(discovery.agentResults)).toBeDefined();
    await h.call('POST', `/api/v2/buyer/discovery/${discovery.discoveryId}/products`, {
      key: buyer.key,
      body: { products: [selectionOf(product)] },
    });
    const campaignId = await campaignOver(h, buyer.key, advertiserId, discovery.discoveryId);

    const activated = await h.call('POST', `${base}/activate`, {
      key: buyer.key,
      body: { campaignId, agentId: storefrontAgent, signalAgentSegmentId: 'outdoor_fans' },
    });
    expect(activated.status, activated.text).toBe(200);
    const sellerUrl = expect.stringMatching(new RegExp(`/adcp/storefront-${sf.platformId}/mcp$`));
    expect(activated.body.data).toMatchObject({
      status: 'DEPLOYED',
      destinations: [{ type: 'agent', agent_url: sellerUrl }],
      deployments: [expect.objectContaining({ agent_url: sellerUrl, is_live: true })],
    });
    const sent = storefrontFake.calls().find((c) => c.tool === 'activate_signal')!;
    expect(sent.args).toMatchObject({
      signal_agent_segment_id: 'outdoor_fans',
      destinations: [{ type: 'agent', agent_url: sellerUrl }],
      idempotency_key: expect.stringMatching(/^interchange\.sa_/),
    });
    const got = await h.call('GET', `${base}/activations/${activated.body.data.activationId}`, {
      key: buyer.key,
    });
    expect(got.body.data).toEqual(activated.body.data);
  });

  it('reports an agent that hangs or answers 500 without losing the others', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const good = await register(buyer, 'Good', fake.url, fakeToken);
    const slow = await register(buyer, 'Hangs', hanging.url);
    const failing = await register(buyer, 'Fails', broken.url);
    const started = Date.now();
    const found = await h.call('POST', `${base}/discover`, {
      key: buyer.key,
      body: { signalSpec: 'runners' },
    });
    const elapsed = Date.now() - started;
    expect(found.status, found.text).toBe(200);
    const results = found.body.data.agentResults as Json[];
    expect(results.find((r) => r.agentId === good)).toMatchObject({
      success: true,
      signalCount: 2,
    });
    expect(results.find((r) => r.agentId === slow)).toMatchObject({
      success: false,
      errorCode: 'timeout',
    });
    expect(results.find((r) => r.agentId === failing)).toMatchObject({ success: false });
    const from = (found.body.data.signals as Json[]).map((s) => s.agentId);
    expect(from.filter((a) => a === good)).toHaveLength(2);
    expect(from).not.toContain(slow);
    expect(from).not.toContain(failing);
    // The hanging agent cost its own budget, not the request.
    expect(elapsed).toBeLessThan(agentBudgetMs + 2000);
    expect(h.rawLogs()).not.toContain(fakeToken);
    expect(h.rawLogs()).not.toContain(storefrontToken);
  }, 60_000);

  it('answers another buyer’s agent, campaign and activation as not found', async () => {
    const { buyer: owner, advertiserId } = await buyerWithAdvertiser(h);
    const ownerAgent = await register(owner, 'Mine', fake.url, fakeToken);
    const campaignId = await campaignWithoutProducts(owner, advertiserId);
    const activation = await h.call('POST', `${base}/activate`, {
      key: owner.key,
      body: {
        campaignId,
        agentId: ownerAgent,
        signalAgentSegmentId: 'runners',
        destinations: [{ type: 'platform', platform: 'the-trade-desk' }],
      },
    });
    expect(activation.status, activation.text).toBe(200);

    const { buyer: other, advertiserId: otherAdvertiser } = await buyerWithAdvertiser(h);
    const otherAgent = await register(other, 'Theirs', fake.url, fakeToken);
    const otherCampaign = await campaignWithoutProducts(other, otherAdvertiser);
    const platform = [{ type: 'platform', platform: 'the-trade-desk' }];
    const attempts = [
      h.call('GET', `${base}/agents/${ownerAgent}`, { key: other.key }),
      h.call('DELETE', `${base}/agents/${ownerAgent}`, { key: other.key }),
      h.call('POST', `${base}/discover`, { key: other.key, body: { agentId: ownerAgent } }),
      h.call('POST', `${base}/activate`, {
        key: other.key,
        body: {
          campaignId: otherCampaign,
          agentId: ownerAgent,
          signalAgentSegmentId: 'runners',
          destinations: platform,
        },
      }),
      h.call('POST', `${base}/activate`, {
        key: other.key,
        body: {
          campaignId,
          agentId: otherAgent,
          signalAgentSegmentId: 'runners',
          destinations: platform,
        },
      }),
      h.call('GET', `${base}/activations/${activation.body.data.activationId}`, {
        key: other.key,
      }),
      h.call('GET', `${base}/activations?campaignId=${campaignId}`, { key: other.key }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status, res.text).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const theirs = await h.call('GET', `${base}/activations`, { key: other.key });
    expect(theirs.body.data.items).toEqual([]);
    const mine = await h.call('GET', `${base}/agents/${ownerAgent}`, { key: owner.key });
    expect(mine.status).toBe(200);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const agentId = await register(buyer, 'Data', fake.url, fakeToken);
    const campaignId = await campaignWithoutProducts(buyer, advertiserId);
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', `${base}/agents`, { name: 'x', endpointUrl: 'ftp://x' }, 'endpointUrl'],
      [
        'POST',
        `${base}/agents`,
        { name: 'x', endpointUrl: fake.url, authenticationType: 'API_KEY' },
        'auth',
      ],
      ['POST', `${base}/discover`, { countries: ['usa'] }, 'countries.0'],
      [
        'POST',
        `${base}/activate`,
        { campaignId, agentId, signalAgentSegmentId: 'runners' },
        'destinations',
      ],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await h.call(method, url, { key: buyer.key, body });
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
  });
});

async function campaignWithoutProducts(buyer: TestCustomer, advertiserId: string) {
  const start = new Date(Date.now() + 86_400_000);
  const res = await h.call('POST', '/api/v2/buyer/campaigns', {
    key: buyer.key,
    body: {
      advertiserId: Number(advertiserId),
      name: 'No products yet',
      flightDates: {
        startDate: start.toISOString(),
        endDate: new Date(start.getTime() + 7 * 86_400_000).toISOString(),
      },
      budget: { total: 1000, currency: 'USD' },
    },
  });
  if (res.status !== 201) throw new Error(`campaign: ${res.text}`);
  return res.body.data.campaign.campaignId as string;
}
