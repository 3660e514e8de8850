import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { buyerWithAdvertiser, discover } from './buying-support.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

const start = new Date(Date.now() + 86_400_000);
const flightDates = {
  startDate: start.toISOString(),
  endDate: new Date(start.getTime() + 7 * 86_400_000).toISOString(),
};

async function campaignOf(key: string, advertiserId: string, extra: Record<string, unknown> = {}) {
  const res = await h.call('POST', '/api/v2/buyer/campaigns', {
    key,
    body: {
      advertiserId: Number(advertiserId),
      name: 'Referenced',
      flightDates,
      budget: { total: 5000 },
      brief: 'Seeded from the campaign',
      ...extra,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.data.campaign.campaignId as string;
}

describe('ids a body names are the caller’s and exist', () => {
  it('discovery with a campaignId: another buyer’s or an unknown one is 404 naming it, another advertiser’s 400, its own seeds the ask and binds', async () => {
    const mine = await buyerWithAdvertiser(h);
    const theirs = await buyerWithAdvertiser(h);
    const theirCampaign = await campaignOf(theirs.buyer.key, theirs.advertiserId);

    for (const campaignId of [theirCampaign, 'cmp_does_not_exist']) {
      const res = await discover(h, mine.buyer.key, {
        advertiserId: Number(mine.advertiserId),
        campaignId,
      });
      expect(res.status, campaignId).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'campaignId' });
    }

    const second = await h.call('POST', '/api/v2/buyer/advertisers', {
      key: mine.buyer.key,
      body: { name: 'Second brand', brand: 'second.example', primaryCurrency: 'USD' },
    });
    expect(second.status).toBe(201);
    const otherAdvertisers = await campaignOf(mine.buyer.key, second.body.data.id);
    const crossed = await discover(h, mine.buyer.key, {
      advertiserId: Number(mine.advertiserId),
      campaignId: otherAdvertisers,
    });
    expect(crossed.status).toBe(400);
    expect(crossed.body.error.field).toBe('campaignId');

    const own = await campaignOf(mine.buyer.key, mine.advertiserId);
    const found = await discover(h, mine.buyer.key, {
      advertiserId: Number(mine.advertiserId),
      campaignId: own,
    });
    expect(found.status, found.text).toBe(200);
    const { discoveryId } = found.body.data;
    expect(found.body.data.budgetContext?.sessionBudget).toBe(5000);
    const selections = await h.call('GET', `/api/v2/buyer/discovery/${discoveryId}/products`, {
      key: mine.buyer.key,
    });
    expect(selections.body.data.campaignBound).toBe(true);
  });

  it('selecting products for a campaign: another buyer’s campaign is 404 and binds nothing', async () => {
    const mine = await buyerWithAdvertiser(h);
    const theirs = await buyerWithAdvertiser(h);
    const theirCampaign = await campaignOf(theirs.buyer.key, theirs.advertiserId);
    const found = await discover(h, mine.buyer.key, { advertiserId: Number(mine.advertiserId) });
    expect(found.status).toBe(200);
    const { discoveryId } = found.body.data;
    const res = await h.call('POST', `/api/v2/buyer/discovery/${discoveryId}/products`, {
      key: mine.buyer.key,
      body: { products: [{ productId: 'any' }], campaignId: theirCampaign },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.field).toBe('campaignId');
    const selections = await h.call('GET', `/api/v2/buyer/discovery/${discoveryId}/products`, {
      key: mine.buyer.key,
    });
    expect(selections.body.data.campaignBound).toBe(false);
  });

  it('campaigns: another buyer’s advertiser or discovery is 404, on create and update', async () => {
    const mine = await buyerWithAdvertiser(h);
    const theirs = await buyerWithAdvertiser(h);
    const theirDiscovery = await discover(h, theirs.buyer.key, {
      advertiserId: Number(theirs.advertiserId),
    });
    expect(theirDiscovery.status).toBe(200);
    const foreignDiscovery = theirDiscovery.body.data.discoveryId as string;

    const withTheirAdvertiser = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: mine.buyer.key,
      body: {
        advertiserId: Number(theirs.advertiserId),
        name: 'X',
        flightDates,
        budget: { total: 1 },
      },
    });
    expect(withTheirAdvertiser.status).toBe(404);
    const withTheirDiscovery = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: mine.buyer.key,
      body: {
        advertiserId: Number(mine.advertiserId),
        name: 'X',
        flightDates,
        budget: { total: 1 },
        discoveryId: foreignDiscovery,
      },
    });
    expect(withTheirDiscovery.status).toBe(404);
    const own = await campaignOf(mine.buyer.key, mine.advertiserId);
    const updated = await h.call('PUT', `/api/v2/buyer/campaigns/${own}`, {
      key: mine.buyer.key,
      body: { discoveryId: foreignDiscovery },
    });
    expect(updated.status).toBe(404);
    const theirCampaign = await campaignOf(theirs.buyer.key, theirs.advertiserId);
    const report = await h.call(
      'GET',
      `/api/v2/buyer/reporting/metrics?campaignId=${theirCampaign}`,
      { key: mine.buyer.key },
    );
    expect(report.status).toBe(404);
  });
});
