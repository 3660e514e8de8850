import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import { createCustomer, type Harness } from '../../harness.js';
import { eventually } from '../../support/eventually.js';
import { agentClient } from '../../agents/storefront-agent-support.js';
import {
  adServerHarness,
  approveQueued,
  connectAdServer,
  sportsProduct,
} from '../ad-servers/support.js';

/*
 * Issue 68, item 2 at the sandbox Ad Manager (the fake on a real socket), over MCP with the
 * official client: a proposal's allocations never ask more impressions than Ad Manager's
 * availability forecast says a product has, it says when the budget is more than the inventory,
 * and booking it writes line items whose goals are exactly its allocations' impressions.
 */
let gam: FakeGam;
let h: Harness;
let base: string;
const networkCode = '21700068';

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 40 });
  ({ h, base } = await adServerHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
  }));
}, 180_000);
afterAll(async () => {
  await h?.close();
  await gam?.close();
});

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- AdCP answers as read
const isoDate = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const homepageProduct = {
  productId: 'homepage_display',
  name: 'Homepage display',
  description: 'Homepage display banners',
  placementIds: ['501'],
  keyValues: {},
  cpm: 8,
};
const availableOf = (p: Json): number | undefined =>
  p.forecast?.forecast_range_unit === 'availability'
    ? p.forecast.points[0].metrics.impressions.low
    : undefined;

describe('a proposal at the sandbox Ad Manager', () => {
  it('stays within the forecast availability and books line items of exactly its impressions', async () => {
    const sf = await connectAdServer(
      h,
      'gam',
      {
        type: 'google_ad_manager',
        networkCode,
        name: 'Our Ad Manager',
        publisherDomain: 'sportsnews.example',
        serviceAccountKey: gam.serviceAccount([networkCode]),
        products: [sportsProduct, homepageProduct],
      },
      'auto',
    );
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency.example' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const ask = () =>
        agent.call('get_products', {
          buying_mode: 'brief',
          brief: `Sports and homepage display banners, budget $20,000, ${isoDate(2)} to ${isoDate(20)}`,
          brand: { domain: 'acme.example' },
        });
      // Ad Manager's forecast is asked for behind the first answer; wait until both carry it.
      const answer = await eventually(
        ask,
        (a: Json) =>
          a.products?.length === 2 && a.products.every((p: Json) => availableOf(p) !== undefined),
        120_000,
        500,
      );
      const available = new Map<string, number>(
        answer.products.map((p: Json) => [p.product_id, availableOf(p)!]),
      );
      const [proposal] = answer.proposals as Json[];
      expect(proposal, JSON.stringify(answer)).toBeDefined();
      let spent = 0;
      for (const allocation of proposal.allocations) {
        const point = allocation.forecast.points[0];
        expect(point.metrics.impressions.mid).toBeLessThanOrEqual(
          available.get(allocation.product_id)!,
        );
        spent += point.budget;
      }
      // 240,000 sports impressions at 12 and 1,200,000 homepage ones at 8: 12,480 of 20,000.
      expect(spent).toBeCloseTo(12_480, 2);
      expect(proposal.brief_alignment).toMatch(/20,000.*more than/);

      const booked = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: { account_id: 'acme_media' },
        brand: { domain: 'acme.example' },
        start_time: new Date(Date.now() + 2 * 86_400_000).toISOString(),
        end_time: new Date(Date.now() + 20 * 86_400_000).toISOString(),
        proposal_id: proposal.proposal_id,
        total_budget: { amount: spent, currency: 'USD' },
      });
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
      // An ad server's buys wait for the seller's approval before anything is written there.
      const approved = await approveQueued(h, sf.seller.key);
      expect(approved.status, approved.text).toBe(200);
      // The line items Ad Manager holds: one per allocation, its goal the allocation's impressions.
      const network = gam.networks.get(networkCode)!;
      const lines = await eventually(
        async () => [...network.lineItems.values()],
        (items) => items.length === proposal.allocations.length,
        120_000,
        500,
      );
      const goals = lines
        .map((li: Json) => Number(li['primaryGoal']['units']))
        .sort((a: number, b: number) => a - b);
      const offered = proposal.allocations
        .map((a: Json) => a.forecast.points[0].metrics.impressions.mid)
        .sort((a: number, b: number) => a - b);
      expect(goals).toEqual(offered);
    } finally {
      await agent.close();
    }
  }, 300_000);
});
