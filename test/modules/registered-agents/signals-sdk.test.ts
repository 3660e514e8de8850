import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../agents/storefront-agent-support.js';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { mcpClient } from '../../mcp/mcp-support.js';
import type { Json } from '../buying/buying-support.js';

/**
 * Signals against software we did not write: @adcp/sdk's signal-marketplace example agent over
 * the SDK's mock platform, whose own records show what our activation asked for.
 */
let h: Harness;
let sdk: SdkSeller;
let buyer: TestCustomer;
let agentId: string;

const base = '/api/v2/buyer/signals';
const evBuyers = 'ckhsh_us_evb_2024q4_001';

beforeAll(async () => {
  h = await createHarness();
  sdk = await startSdkSeller('signals');
  // The example resolves accounts by operator: the buyer's domain is one its platform knows.
  buyer = await createCustomer(h, { role: 'BUYER', domain: 'pinnacle-agency.example' });
}, 60_000);
afterAll(async () => {
  await sdk?.close();
  await h?.close();
});

async function upstream(path: string) {
  const res = await fetch(`${sdk.upstream.url}${path}`, {
    headers: { authorization: `Bearer ${sdk.upstream.apiKey}`, 'x-operator-id': 'op_pinnacle' },
  });
  return (await res.json()) as Json;
}

describe('signals over @adcp/sdk’s signal-marketplace agent', () => {
  it('registers the agent with its token sealed, never answered nor logged', async () => {
    const created = await h.call('POST', `${base}/agents`, {
      key: buyer.key,
      body: {
        name: 'Signal marketplace',
        endpointUrl: sdk.url,
        protocol: 'mcp',
        auth: { type: 'bearer', token: sdk.token },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.data).toMatchObject({
      agentId: expect.stringMatching(/^signals-\d+$/),
      type: 'SIGNAL',
      authenticationType: 'API_KEY',
      authConfigured: true,
      health: { status: 'healthy' },
    });
    agentId = created.body.data.agentId;
    expect(created.text).not.toContain(sdk.token);
    const listed = await h.call('GET', `${base}/agents`, { key: buyer.key });
    expect(listed.body.data.items.map((a: Json) => a.agentId)).toEqual([agentId]);
    expect(listed.text).not.toContain(sdk.token);
    const { rows } = (await h.database.db.execute(
      sql`select auth_sealed from buyer_signal_agents where customer_id = ${buyer.id}`,
    )) as unknown as { rows: { auth_sealed: string }[] };
    expect(rows[0]?.auth_sealed).toMatch(/^v1\./);
    expect(rows[0]?.auth_sealed).not.toContain(sdk.token);
  });

  it('discovers its signals over REST, filtered by catalog id', async () => {
    const found = await h.call('POST', `${base}/discover`, {
      key: buyer.key,
      body: { signalSpec: 'auto intent' },
    });
    expect(found.status, found.text).toBe(200);
    const page = found.body.data;
    expect(page.agentResults).toEqual([
      expect.objectContaining({ agentId, success: true, signalCount: 4 }),
    ]);
    expect(page.total).toBe(4);
    expect(page.signals.find((s: Json) => s.signalAgentSegmentId === evBuyers)).toMatchObject({
      signalId: 'tridentauto.example:likely_ev_buyers',
      name: 'Likely EV Buyers (Trident, US)',
      dataProvider: 'Trident Auto Insights',
      coveragePercentage: 8,
      agentId,
      valueType: 'binary',
      pricingOptions: [expect.objectContaining({ pricing_option_id: 'tier_default_evb_cpm' })],
    });
    const one = await h.call('POST', `${base}/discover`, {
      key: buyer.key,
      body: { signalIds: ['meridiangeo.example:competitor_visitors'] },
    });
    expect(one.body.data.signals.map((s: Json) => s.signalId)).toEqual([
      'meridiangeo.example:competitor_visitors',
    ]);
  });

  it('answers the same listing through MCP api_call', async () => {
    const agent = await mcpClient(await listen(h), 'buyer', buyer.key);
    try {
      const listed = await agent.call('api_call', {
        method: 'GET',
        path: base,
        query: { limit: 2 },
      });
      expect(listed.status, JSON.stringify(listed)).toBe(200);
      expect(listed.data.total).toBe(4);
      expect(listed.data.signals).toHaveLength(2);
      expect(listed.data.agentResults[0]).toMatchObject({ agentId, success: true });
    } finally {
      await agent.close();
    }
  });

  it('activates a signal for a campaign, and the agent’s platform records that activation once', async () => {
    const advertiser = await h.call('POST', '/api/v2/buyer/advertisers', {
      key: buyer.key,
      body: { name: 'Volt Motors', brand: 'voltmotors.example', primaryCurrency: 'USD' },
    });
    const start = new Date(Date.now() + 86_400_000);
    const campaign = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: buyer.key,
      body: {
        advertiserId: Number(advertiser.body.data.id),
        name: 'EV launch',
        flightDates: {
          startDate: start.toISOString(),
          endDate: new Date(start.getTime() + 7 * 86_400_000).toISOString(),
        },
        budget: { total: 5000, currency: 'USD' },
      },
    });
    expect(campaign.status, campaign.text).toBe(201);
    const campaignId = campaign.body.data.campaign.campaignId;
    const body = {
      campaignId,
      agentId,
      signalAgentSegmentId: evBuyers,
      pricingOptionId: 'tier_default_evb_cpm',
      destinations: [{ type: 'platform', platform: 'the-trade-desk' }],
    };
    const activated = await h.call('POST', `${base}/activate`, { key: buyer.key, body });
    expect(activated.status, activated.text).toBe(200);
    const activation = activated.body.data;
    expect(activation).toMatchObject({
      campaignId,
      agentId,
      status: 'ACTIVATING',
      destinations: [{ type: 'platform', platform: 'the-trade-desk' }],
      deployments: [
        expect.objectContaining({ type: 'platform', platform: 'the-trade-desk', is_live: false }),
      ],
    });
    const segment = activation.deployments[0].activation_key.segment_id as string;

    // The mock platform's own record of the activation the agent made for us.
    const recorded = await upstream(`/v2/activations/${segment}`);
    expect(recorded).toMatchObject({
      cohort_id: evBuyers,
      destination_id: 'dest_ttd_main',
      pricing_id: 'tier_default_evb_cpm',
    });
    // Asked again, the same activation: the same idempotency key reaches the agent.
    const again = await h.call('POST', `${base}/activate`, { key: buyer.key, body });
    expect(again.body.data.activationId).toBe(activation.activationId);
    const traffic = (await (await fetch(`${sdk.upstream.url}/_debug/traffic`)).json()) as Json;
    expect(traffic.traffic['POST /v2/activations']).toBe(1);

    const listed = await h.call('GET', `${base}/activations?campaignId=${campaignId}`, {
      key: buyer.key,
    });
    expect(listed.body.data.items.map((a: Json) => a.activationId)).toEqual([
      activation.activationId,
    ]);
    expect(h.rawLogs()).not.toContain(sdk.token);
  });
});
