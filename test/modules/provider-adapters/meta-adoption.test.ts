import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startFakeMeta, type FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import { connectMeta, liveStorefront, metaEnv, metaStorefront } from './support.js';
import { eventually } from '../../support/eventually.js';
import { account, bookedOnRetry, packagedBuy } from './adoption-support.js';

/*
 * A create Meta acted on but whose answer was lost (a 500 after the object was made) is looked
 * up by name, in the same call or on the buyer's retry, never sent twice (buy-objects.ts).
 */

let h: Harness;
let base: string;
let meta: FakeMeta;

beforeAll(async () => {
  meta = await startFakeMeta({ clientId: 'app-123', clientSecret: 'app-secret-xyz' });
  // Recovery looks at a write in doubt half a second after (10 s by default).
  h = await createHarness({ ...metaEnv(meta), INTERCHANGE_WRITE_RECOVERY_SECONDS: '0.5' });
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  meta.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await meta?.close();
});

const creative = (i: number) => ({
  creative_id: `spring-${i}`,
  name: 'Spring hero',
  format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'display_image' },
  assets: {
    image: {
      asset_type: 'image',
      url: `https://cdn.acmeoutdoor.example/hero-${i}.jpg`,
      width: 1080,
      height: 1080,
    },
    click_url: {
      asset_type: 'url',
      url_type: 'clickthrough',
      url: 'https://acmeoutdoor.example/spring',
    },
  },
});

/** A live Meta storefront and a two-package buy (Facebook Feed, Instagram Feed). */
async function twoPackages() {
  const live = await liveStorefront(h, base, metaStorefront, connectMeta, 'feed');
  const { products } = await live.products();
  const feeds = ['Facebook Feed', 'Instagram Feed'].map((name) =>
    products.find((p: { name: string }) => p.name === name),
  );
  return { agent: live.agent, request: packagedBuy(feeds, creative) };
}

/**
 * What Ads Manager shows of what was made since `madeSince()`: the new campaigns, the ad sets under
 * them, their ads and the ads' creatives.
 */
function madeSince() {
  const known = new Set(meta.state.objects.keys());
  return () => {
    const fresh = (kind: Parameters<typeof meta.state.ofKind>[0]) =>
      meta.state.ofKind(kind).filter((o) => !known.has(o.id));
    const campaigns = fresh('campaign');
    const adSets = fresh('adset').filter((s) =>
      campaigns.some((c) => c.id === s.fields.campaign_id),
    );
    const ads = fresh('ad').filter((a) => adSets.some((s) => s.id === a.fields.adset_id));
    const creatives = fresh('adcreative');
    return { campaigns, adSets, ads, creatives };
  };
}

const outage = { message: 'An unknown error occurred', code: 1 };

/**
 * Meta makes the next campaign but its answer is lost, and the lookup right after (with its one
 * quick second try) meets Meta down too: the campaign exists and the call cannot know it.
 */
function campaignAnswerLost() {
  meta.state.loseNextAnswer('/act_1001/campaigns');
  meta.state.failNext(503, outage, undefined, 'GET /act_1001/campaigns');
  meta.state.failNext(503, outage, undefined, 'GET /act_1001/campaigns');
}

describe('a Meta create whose answer was lost', () => {
  it('a campaign made while Meta could not be asked about it is adopted on the retry: one campaign, booked', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      campaignAnswerLost();
      await bookedOnRetry(agent, request);

      const { campaigns, adSets, ads, creatives } = made();
      expect(campaigns).toHaveLength(1);
      // Booked with the adopted campaign: its ad sets hang under it, and it was activated.
      expect(campaigns[0]!.fields.status).toBe('ACTIVE');
      expect(adSets).toHaveLength(2);
      expect(ads).toHaveLength(2);
      expect(creatives).toHaveLength(2);
    } finally {
      await agent.close();
    }
  });

  it('an ad set made while Meta could not be asked about it is adopted on the retry: one ad set per package, one ad per creative', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      meta.state.loseNextAnswer('/act_1001/adsets');
      meta.state.failNext(503, outage, undefined, /^GET \/\d+\/adsets$/);
      meta.state.failNext(503, outage, undefined, /^GET \/\d+\/adsets$/);
      await bookedOnRetry(agent, request);

      const { campaigns, adSets, ads, creatives } = made();
      expect(campaigns).toHaveLength(1);
      expect(adSets.map((s) => s.fields.lifetime_budget).sort()).toEqual([40_000, 50_000]);
      expect(ads).toHaveLength(2);
      expect(new Set(ads.map((a) => a.fields.adset_id)).size).toBe(2);
      expect(creatives).toHaveLength(2);
      expect(campaigns[0]!.fields.status).toBe('ACTIVE');
    } finally {
      await agent.close();
    }
  });

  it('an ad whose answer was lost is found by name in the same call: booked at once, one ad per creative', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      meta.state.loseNextAnswer('/act_1001/ads');
      const booked = await agent.call('create_media_buy', request);
      expect(booked.isError, JSON.stringify(booked)).toBe(false);

      const { adSets, ads, creatives } = made();
      expect(adSets).toHaveLength(2);
      expect(ads).toHaveLength(2);
      expect(creatives).toHaveLength(2);
      const lookups = meta.state.calls.filter(
        (c) => c.method === 'GET' && /^\/\d+\/ads$/.test(c.path),
      );
      expect(lookups).toHaveLength(1);
    } finally {
      await agent.close();
    }
  });

  it('a buyer who never retries still gets the buy: the storefront’s recovery adopts the campaign and books it once', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      campaignAnswerLost();
      const failed = await agent.call('create_media_buy', request);
      expect(failed.adcp_error).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        recovery: 'transient',
      });
      // Meta holds a paused campaign the buyer was not told of: the buy is in doubt, not failed.
      expect(made().campaigns).toHaveLength(1);

      // The buyer's agent gave up. The storefront's write recovery (a durable job) establishes
      // the buy: the source asked again under the buy's key, the campaign adopted.
      const listBuys = () =>
        agent.call('get_media_buys', {
          account,
          status_filter: ['pending_start', 'active', 'rejected', 'canceled'],
        });
      const listed = await eventually(
        async () => {
          await h.services.sellerWrites.recoverDue();
          return listBuys();
        },
        (answer) => answer.media_buys?.some((b: { status: string }) => b.status === 'active'),
        20_000,
        500,
      );
      const active = listed.media_buys.filter((b: { status: string }) => b.status === 'active');
      expect(active, JSON.stringify(listed)).toHaveLength(1);
      const { campaigns, adSets, ads } = made();
      expect(campaigns).toHaveLength(1);
      expect(campaigns[0]!.fields.status).toBe('ACTIVE');
      expect(adSets).toHaveLength(2);
      expect(ads).toHaveLength(2);
      // The buyer's retry, whenever it comes, answers that buy.
      const again = await agent.call('create_media_buy', request);
      expect(again.isError, JSON.stringify(again)).toBe(false);
      expect(again.media_buy_id).toBe(active[0].media_buy_id);
    } finally {
      await agent.close();
    }
  }, 60_000);
});
