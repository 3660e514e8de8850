import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startFakeTikTok, type FakeTikTok } from '../../../src/sandbox/fakes/tiktok/server.js';
import type { FakeKind } from '../../../src/sandbox/fakes/tiktok/state.js';
import { liveStorefront } from './support.js';
import { connectTikTok, tiktokEnv, tiktokStorefront, videoCreative } from './tiktok-support.js';
import { bookedOnRetry, packagedBuy } from './adoption-support.js';

/*
 * A create TikTok acted on but whose answer was lost (a system error after the object was made)
 * is looked up by name, in the same call or on the buyer's retry, never sent twice
 * (buy-objects.ts).
 */

let h: Harness;
let base: string;
let tiktok: FakeTikTok;

beforeAll(async () => {
  tiktok = await startFakeTikTok({ appId: 'tt-app-42', secret: 'tt-secret-93' });
  h = await createHarness(tiktokEnv(tiktok));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  tiktok.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await tiktok?.close();
});

/** A live TikTok storefront and a two-package buy (For You feed, Pangle), a video each. */
async function twoPackages() {
  const live = await liveStorefront(h, base, tiktokStorefront, connectTikTok, 'TikTok feed');
  const { products } = await live.products();
  const chosen = ['TikTok For You feed', 'Pangle app network'].map((name) =>
    products.find((p: { name: string }) => p.name === name),
  );
  const creative = (i: number) => ({ ...videoCreative, creative_id: `spring-cut-${i}` });
  return { agent: live.agent, request: packagedBuy(chosen, creative, ['DE']) };
}

/** What Ads Manager shows of what was made since: campaigns, their ad groups and their ads. */
function madeSince() {
  const known = new Set(tiktok.state.objects.keys());
  return () => {
    const fresh = (kind: FakeKind) => tiktok.state.ofKind(kind).filter((o) => !known.has(o.id));
    const campaigns = fresh('campaign');
    const adGroups = fresh('adgroup').filter((g) =>
      campaigns.some((c) => c.id === g.fields.campaign_id),
    );
    const ads = fresh('ad').filter((a) => adGroups.some((g) => g.id === a.fields.adgroup_id));
    return { campaigns, adGroups, ads };
  };
}

const down = { code: 50000, message: 'System error', request_id: '1', data: {} };

describe('a TikTok create whose answer was lost', () => {
  it('a campaign made while TikTok could not be asked about it is adopted on the retry: one campaign, booked', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      tiktok.state.loseNextAnswer('/campaign/create');
      // The lookup right after (and its one quick second try) meets TikTok down too.
      tiktok.state.failNext(500, down, '/campaign/get');
      tiktok.state.failNext(500, down, '/campaign/get');
      await bookedOnRetry(agent, request);

      const { campaigns, adGroups, ads } = made();
      expect(campaigns).toHaveLength(1);
      // Booked with the adopted campaign: its ad groups hang under it, and it was enabled.
      expect(campaigns[0]!.fields.operation_status).toBe('ENABLE');
      expect(adGroups).toHaveLength(2);
      expect(ads).toHaveLength(2);
    } finally {
      await agent.close();
    }
  });

  it('an ad group made while TikTok could not be asked about it is adopted on the retry: one ad group per package, one ad per creative', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      tiktok.state.loseNextAnswer('/adgroup/create');
      tiktok.state.failNext(500, down, '/adgroup/get');
      tiktok.state.failNext(500, down, '/adgroup/get');
      await bookedOnRetry(agent, request);

      const { campaigns, adGroups, ads } = made();
      expect(campaigns).toHaveLength(1);
      expect(adGroups.map((g) => g.fields.budget).sort()).toEqual([400, 500]);
      expect(ads).toHaveLength(2);
      expect(new Set(ads.map((a) => a.fields.adgroup_id)).size).toBe(2);
      expect(campaigns[0]!.fields.operation_status).toBe('ENABLE');
    } finally {
      await agent.close();
    }
  });

  it('an ad whose answer was lost is found by name in the same call: booked at once, one ad per creative', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      tiktok.state.loseNextAnswer('/ad/create');
      const booked = await agent.call('create_media_buy', request);
      expect(booked.isError, JSON.stringify(booked)).toBe(false);

      const { adGroups, ads } = made();
      expect(adGroups).toHaveLength(2);
      expect(ads).toHaveLength(2);
      expect(tiktok.state.calls.filter((c) => c.path === '/ad/get')).toHaveLength(1);
    } finally {
      await agent.close();
    }
  });
});
