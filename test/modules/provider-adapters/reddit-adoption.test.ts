import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startFakeReddit, type FakeReddit } from '../../../src/sandbox/fakes/reddit/server.js';
import type { FakeKind } from '../../../src/sandbox/fakes/reddit/state.js';
import { liveStorefront } from './support.js';
import { connectReddit, postCreative, redditEnv, redditStorefront } from './reddit-support.js';
import { bookedOnRetry, packagedBuy } from './adoption-support.js';

/*
 * A create Reddit acted on but whose answer was lost (the connection cut after the object was
 * made) is looked up by name, in the same call or on the buyer's retry, never sent twice
 * (buy-objects.ts).
 */

let h: Harness;
let base: string;
let reddit: FakeReddit;

beforeAll(async () => {
  reddit = await startFakeReddit({ clientId: 'rd-app-7Qx', clientSecret: 'rd-secret-9f3k2' });
  h = await createHarness(redditEnv(reddit));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  reddit.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await reddit?.close();
});

const lists = '/ad_accounts/a2_acme1';

/** A live Reddit storefront and a two-package buy (feed, conversation pages), a post each. */
async function twoPackages() {
  const live = await liveStorefront(h, base, redditStorefront, connectReddit, 'Reddit feed');
  const { products } = await live.products();
  const chosen = ['Reddit feed', 'Reddit conversation pages'].map((name) =>
    products.find((p: { name: string }) => p.name === name),
  );
  const creative = (i: number) => ({ ...postCreative, creative_id: `trail-post-${i}` });
  return { agent: live.agent, request: packagedBuy(chosen, creative) };
}

/** What Ads Manager shows of what was made since: campaigns, their ad groups, ads and posts. */
function madeSince() {
  const known = new Set(reddit.state.objects.keys());
  return () => {
    const fresh = (kind: FakeKind) => reddit.state.ofKind(kind).filter((o) => !known.has(o.id));
    const campaigns = fresh('campaign');
    const adGroups = fresh('ad_group').filter((g) =>
      campaigns.some((c) => c.id === g.fields.campaign_id),
    );
    const ads = fresh('ad').filter((a) => adGroups.some((g) => g.id === a.fields.ad_group_id));
    return { campaigns, adGroups, ads, posts: fresh('post') };
  };
}

const down = { error: { code: 503, message: 'Service Unavailable' } };

describe('a Reddit create whose answer was lost', () => {
  it('a campaign made while Reddit could not be asked about it is adopted on the retry: one campaign, booked', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      reddit.state.loseAnswerOf = '/campaigns';
      // The lookup right after (and its one quick second try) meets Reddit down too.
      reddit.state.failNext(503, down, `${lists}/campaigns`, 'GET');
      reddit.state.failNext(503, down, `${lists}/campaigns`, 'GET');
      await bookedOnRetry(agent, request);

      const { campaigns, adGroups, ads, posts } = made();
      expect(campaigns).toHaveLength(1);
      // Booked with the adopted campaign: its ad groups hang under it, and it was set active.
      expect(campaigns[0]!.fields.configured_status).toBe('ACTIVE');
      expect(adGroups).toHaveLength(2);
      expect(ads).toHaveLength(2);
      expect(posts).toHaveLength(2);
    } finally {
      await agent.close();
    }
  });

  it('an ad group made while Reddit could not be asked about it is adopted on the retry: one ad group per package, one ad per creative', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      reddit.state.loseAnswerOf = '/ad_groups';
      reddit.state.failNext(503, down, `${lists}/ad_groups`, 'GET');
      reddit.state.failNext(503, down, `${lists}/ad_groups`, 'GET');
      await bookedOnRetry(agent, request);

      const { campaigns, adGroups, ads, posts } = made();
      expect(campaigns).toHaveLength(1);
      expect(adGroups.map((g) => g.fields.goal_value).sort()).toEqual([400_000_000, 500_000_000]);
      expect(ads).toHaveLength(2);
      expect(new Set(ads.map((a) => a.fields.ad_group_id)).size).toBe(2);
      expect(posts).toHaveLength(2);
      expect(campaigns[0]!.fields.configured_status).toBe('ACTIVE');
    } finally {
      await agent.close();
    }
  });

  it('an ad whose answer was lost is found by name in the same call: booked at once, one ad and one post per creative', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      reddit.state.loseAnswerOf = '/ads';
      const booked = await agent.call('create_media_buy', request);
      expect(booked.isError, JSON.stringify(booked)).toBe(false);

      const { adGroups, ads, posts } = made();
      expect(adGroups).toHaveLength(2);
      expect(ads).toHaveLength(2);
      expect(posts).toHaveLength(2);
      const lookups = reddit.state.calls.filter(
        (c) => c.method === 'GET' && c.path === `${lists}/ads`,
      );
      expect(lookups).toHaveLength(1);
    } finally {
      await agent.close();
    }
  });
});
