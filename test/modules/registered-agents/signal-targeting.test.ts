import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import {
  buyerWithAdvertiser,
  discover,
  type Json,
  productsOf,
  selectionOf,
} from '../buying/buying-support.js';

/**
 * Signals in a campaign's audienceConfig: validated with a 4xx naming the field, kept on the
 * campaign (added to on update, replaced with deleteMissing), and carried to the seller in every
 * package's targeting overlay as AdCP signal targeting, read from the seller's own record.
 */
describe('campaign audienceConfig signals', () => {
  let h: Harness;
  let seller: RunningSeller;
  let storefront: { id: number; platformId: string };

  beforeAll(async () => {
    h = await createHarness();
    seller = await startSeller('mcp');
    storefront = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
  }, 60_000);
  afterAll(async () => {
    await seller?.close();
    await h?.close();
  });

  const flightDates = () => {
    const start = new Date(Date.now() + 86_400_000);
    return {
      startDate: start.toISOString(),
      endDate: new Date(start.getTime() + 14 * 86_400_000).toISOString(),
    };
  };
  const auto = 'liveramp.com:auto_intenders';
  const recent = 'liveramp.com:recent_buyers';

  it('targets and suppresses signals at the seller, and keeps them on the campaign', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const found = await discover(h, buyer.key, {
      advertiserId: Number(advertiserId),
      brief: 'Outdoor display for a spring launch',
      storefrontIds: [storefront.id],
    });
    expect(found.status, found.text).toBe(200);
    const page: Json = found.body.data;
    const pick = productsOf(page, storefront.platformId).find(
      (p: Json) => p.pricingOptions[0]?.min_spend_per_package === undefined,
    );
    expect(pick, found.text).toBeTruthy();
    const selected = await h.call('POST', `/api/v2/buyer/discovery/${page.discoveryId}/products`, {
      key: buyer.key,
      body: { products: [selectionOf(pick, 5_000)] },
    });
    expect(selected.status, selected.text).toBe(200);
    const created = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: buyer.key,
      body: {
        advertiserId: Number(advertiserId),
        name: 'Signals',
        flightDates: flightDates(),
        budget: { total: 5_000, currency: 'USD' },
        discoveryId: page.discoveryId,
        audienceConfig: { targetSignalIds: [auto] },
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.data.campaign.campaignId as string;
    expect(created.body.data.campaign.signals).toEqual({
      targetSignalIds: [auto],
      suppressSignalIds: [],
    });

    // An update adds to the lists; a signal named in the other list moves there.
    const updated = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: buyer.key,
      body: { audienceConfig: { suppressSignalIds: [recent] } },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.data.campaign.signals).toEqual({
      targetSignalIds: [auto],
      suppressSignalIds: [recent],
    });

    const from = seller.toolCalls().length;
    const executed = await h.call('POST', `/api/v2/buyer/campaigns/${id}/execute`, {
      key: buyer.key,
      body: {},
    });
    expect(executed.status, executed.text).toBe(200);
    expect(executed.body.data.mediaBuysExecuted, executed.text).toBe(1);
    const create = seller
      .toolCalls()
      .slice(from)
      .find((c) => c.tool === 'create_media_buy');
    const overlay = (create!.args.packages as Json[])[0].targeting_overlay;
    expect(overlay.signal_targeting).toEqual([
      {
        signal_id: {
          source: 'catalog',
          data_provider_domain: 'liveramp.com',
          id: 'auto_intenders',
        },
        value_type: 'binary',
        value: true,
      },
      {
        signal_id: { source: 'catalog', data_provider_domain: 'liveramp.com', id: 'recent_buyers' },
        value_type: 'binary',
        value: false,
      },
    ]);

    // deleteMissing replaces the lists: none named, none kept.
    const cleared = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: buyer.key,
      body: { audienceConfig: { deleteMissing: true } },
    });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body.data.campaign.signals).toBeUndefined();
  });

  it('refuses a malformed or doubly named signal with a 400 naming the field', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const cases: Array<[Json, string]> = [
      [{ targetSignalIds: ['not a signal id'] }, 'audienceConfig.targetSignalIds.0'],
      [
        { targetSignalIds: [auto], suppressSignalIds: [auto] },
        'audienceConfig.suppressSignalIds.0',
      ],
    ];
    for (const [audienceConfig, field] of cases) {
      const res = await h.call('POST', '/api/v2/buyer/campaigns', {
        key: buyer.key,
        body: {
          advertiserId: Number(advertiserId),
          name: 'Refused',
          flightDates: flightDates(),
          budget: { total: 1_000 },
          audienceConfig,
        },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.field, res.text).toBe(field);
    }
  });
});
