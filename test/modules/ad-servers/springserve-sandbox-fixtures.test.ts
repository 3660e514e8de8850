import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import {
  startFakeSpringServe,
  type FakeSpringServe,
} from '../../../src/sandbox/fakes/springserve/server.js';
import {
  agencyBuying,
  agentClient,
  buyOf,
  storyboardSandbox,
  syncSandboxAccount,
} from '../../agents/storefront-agent-support.js';
import { adServerHarness, connectAdServer } from './support.js';

/*
 * A SpringServe source holds a sandbox buyer's seeded product too (issue 70, item 2; the kind
 * adapter Ad Manager's and FreeWheel's share, gam-/freewheel-sandbox-fixtures.test.ts), over MCP
 * with the official client: the seed is held by the source and listed to that sandbox account
 * under its id, priced as seeded, its format ids resolving in list_creative_formats; a sandbox buy of it on an auto storefront is a campaign in the
 * fake SpringServe (its own record) that is never activated, so never serves, with a line-item
 * demand tag at the bid on the seeded floor. A live account's seed is refused, and a live buy
 * naming the fixture is PRODUCT_NOT_FOUND and books nothing.
 */

let ss: FakeSpringServe;
let h: Harness;
let base: string;

beforeAll(async () => {
  ss = await startFakeSpringServe({ supplyTags: 10 });
  ({ h, base } = await adServerHarness({ INTERCHANGE_SPRINGSERVE_URL: ss.url }));
}, 120_000);
afterAll(async () => {
  await h?.close();
  await ss?.close();
});

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- AdCP answers as read

/** The publisher's preroll over the homepage supply tag (501, played in browsers: online video). */
const homepagePreroll = {
  productId: 'homepage_preroll',
  name: 'Homepage preroll',
  description: 'Preroll on the homepage',
  placementIds: ['501'],
  cpm: 18,
};

const campaigns = () => [...ss.account.campaigns.values()];
const sandboxCampaigns = () =>
  campaigns().filter((c) => String(c['name']).startsWith('Interchange sandbox '));

describe('a seeded product at a SpringServe source', () => {
  it('is held and listed to the sandbox account, a sandbox buy of it is an inactive campaign in SpringServe, and a live account neither seeds nor buys it', async () => {
    const sf = await connectAdServer(
      h,
      'springserve',
      {
        type: 'springserve',
        email: 'ops+api@sportsnews.example',
        password: 'correct horse battery',
        environment: 'production',
        rateCurrency: 'USD',
        name: 'Our SpringServe',
        publisherDomain: 'sportsnews.example',
        products: [homepagePreroll],
      },
      'auto',
    );
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const { account: live } = await agencyBuying(h);
    try {
      await syncSandboxAccount(agent);
      // As the storyboard runner seeds media_buy_seller's sports_preroll_q2 (its seeding.js).
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: {
          product_id: 'ss_preroll_fixture',
          fixture: {
            delivery_type: 'non_guaranteed',
            channels: ['video'],
            format_ids: [{ id: 'video_30s' }],
          },
        },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: 'springserve',
      });
      const priced = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_pricing_option',
        params: {
          product_id: 'ss_preroll_fixture',
          pricing_option_id: 'cpm_non_guaranteed',
          fixture: { pricing_model: 'cpm', currency: 'USD', floor_price: 22 },
        },
      });
      expect(priced.success, JSON.stringify(priced)).toBe(true);
      const listed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = ((listed.products ?? []) as Json[]).find(
        (p) => p.product_id === 'ss_preroll_fixture',
      );
      expect(product, JSON.stringify(listed)).toBeDefined();
      expect(product.ext?.interchange?.source_id).toBe('springserve');
      expect(product.pricing_options).toEqual([
        expect.objectContaining({ pricing_option_id: 'cpm_non_guaranteed', floor_price: 22 }),
      ]);

      // Its format ids (seeded as the storyboard writes them) resolve in list_creative_formats.
      expect(product.format_ids).toEqual([expect.objectContaining({ id: 'video_30s' })]);
      const formats = await agent.call('list_creative_formats', {
        format_ids: product.format_ids,
      });
      expect(
        ((formats.formats ?? []) as Json[]).map((f) => f.format_id),
        JSON.stringify(formats),
      ).toEqual(product.format_ids);

      expect(sandboxCampaigns()).toHaveLength(0);
      const request = buyOf(product, storyboardSandbox, 6_000);
      const bought = await agent.call('create_media_buy', {
        ...request,
        packages: request.packages.map((pkg) => ({ ...pkg, bid_price: 33 })),
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      expect(bought.media_buy_id, JSON.stringify(bought)).toBeTruthy();
      // SpringServe's own record: one campaign, never activated (so it never serves), with a
      // line-item demand tag on the fixture's supply tag at the bid.
      const [campaign, ...more] = sandboxCampaigns();
      expect(more, JSON.stringify(campaigns())).toHaveLength(0);
      expect(campaign!['is_active']).toBe(false);
      const tags = (campaign!['demand_tag_ids'] as number[]).map((id) =>
        ss.account.demandTags.get(id),
      );
      expect(tags).toHaveLength(1);
      expect(tags[0]).toMatchObject({ rate: 33, rate_currency: 'USD' });
      expect(tags[0]!['demand_tag_priorities']).toEqual([
        expect.objectContaining({ supply_tag_id: 501 }),
      ]);

      // A live account: its seed is refused, the fixture is not listed, naming it books nothing.
      await agent.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [{ ...live, billing: 'operator' }],
      });
      const liveSeed = await agent.call('comply_test_controller', {
        account: live,
        scenario: 'seed_product',
        params: { product_id: 'ss_live_fixture', fixture: { channels: ['video'] } },
      });
      expect(liveSeed.success, JSON.stringify(liveSeed)).not.toBe(true);
      const liveListed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: live,
      });
      const liveIds = ((liveListed.products ?? []) as Json[]).map((p) => p.product_id);
      expect(liveIds, JSON.stringify(liveListed)).not.toContain('ss_preroll_fixture');
      expect(liveIds).not.toContain('ss_live_fixture');
      const before = campaigns().length;
      const liveBuy = await agent.call('create_media_buy', {
        ...buyOf(product, live, 6_000),
        packages: request.packages.map((pkg) => ({ ...pkg, bid_price: 33 })),
      });
      expect(liveBuy.isError, JSON.stringify(liveBuy)).toBe(true);
      expect(JSON.stringify(liveBuy)).toMatch(/PRODUCT_NOT_FOUND/);
      const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
        key: sf.seller.key,
      });
      expect(queue.body.data.items, queue.text).toHaveLength(0);
      expect(campaigns()).toHaveLength(before);
    } finally {
      await agent.close();
    }
  }, 180_000);
});
