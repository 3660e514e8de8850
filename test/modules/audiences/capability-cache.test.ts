import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { buyerWithAdvertiser, remoteAgent } from '../buying/buying-support.js';

/**
 * Conversion forwarding asks each agent the buyer uses whether it takes conversions
 * (get_adcp_capabilities). The answer is held per buyer and agent: a buyer's requests ask a
 * seller once, not once each, until the buyer's agent registration changes.
 */
let h: Harness;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  seller = await startSeller('mcp');
}, 60_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const capabilityAsks = () =>
  seller.toolCalls().filter((c) => c.tool === 'get_adcp_capabilities').length;

describe('the capability cache of audience and conversion forwarding', () => {
  it('asks a seller once for a buyer’s requests, and again after its registration changes', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h, 'caps-cache.example');
    const agentId = await remoteAgent(h, buyer.key, {
      name: 'Demo seller by URL',
      endpointUrl: seller.url,
      protocol: 'mcp',
    });
    const base = `/api/v2/buyer/advertisers/${advertiserId}`;
    const before = capabilityAsks();
    const synced = await h.call('POST', `${base}/event-sources/sync`, {
      key: buyer.key,
      body: {
        account: { account_id: advertiserId },
        event_sources: [{ event_source_id: 'pixel', name: 'Pixel', event_types: ['purchase'] }],
      },
    });
    expect(synced.status, synced.text).toBe(200);
    const logEvent = async (n: number) => {
      const res = await h.call('POST', `${base}/log-event`, {
        key: buyer.key,
        body: {
          event_source_id: 'pixel',
          events: [
            {
              event_id: `order-${n}`,
              event_type: 'purchase',
              event_time: new Date().toISOString(),
              custom_data: { value: 10, currency: 'USD' },
            },
          ],
        },
      });
      expect(res.status, res.text).toBe(200);
    };
    await logEvent(1);
    await logEvent(2);
    await logEvent(3);
    // The sync and three log-events: one ask between them.
    expect(capabilityAsks() - before).toBe(1);

    // A change of the registration clears what was held: the next request asks again, once.
    const renamed = await h.call('PUT', `/api/v2/buyer/sales-agents/${agentId}`, {
      key: buyer.key,
      body: { name: 'Demo seller, renamed' },
    });
    expect(renamed.status, renamed.text).toBe(200);
    const afterChange = capabilityAsks();
    await logEvent(4);
    await logEvent(5);
    expect(capabilityAsks() - afterChange).toBe(1);
  });
});
