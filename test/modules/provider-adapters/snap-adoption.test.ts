import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startImageHost, type ImageHost } from '../../fakes/image-host.js';
import { startFakeSnap, type FakeSnap } from '../../../src/sandbox/fakes/snap/server.js';
import type { FakeKind } from '../../../src/sandbox/fakes/snap/state.js';
import { liveStorefront } from './support.js';
import { connectSnap, snapCreative, snapEnv, snapStorefront } from './snap-support.js';
import { bookedOnRetry, packagedBuy } from './adoption-support.js';

/*
 * A create Snap acted on but whose answer was lost (the connection cut after the object was
 * made) is looked up by name, in the same call or on the buyer's retry, never sent twice
 * (buy-objects.ts).
 */

let h: Harness;
let base: string;
let snap: FakeSnap;
let images: ImageHost;

beforeAll(async () => {
  snap = await startFakeSnap({ clientId: 'snap-client-1', clientSecret: 'snap-secret-xyz789' });
  images = await startImageHost();
  h = await createHarness(snapEnv(snap));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  snap.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await snap?.close();
  await images?.close();
});

const account = '8adc3db7-8148-4fbf-999c-8d2266369d74';

/** A live Snap storefront and a two-package buy (Stories, Discover), an image Snap Ad each. */
async function twoPackages() {
  const live = await liveStorefront(h, base, snapStorefront, connectSnap, 'Snapchat stories');
  const { products } = await live.products();
  const chosen = ["Snap Ads between friends' Stories", 'Snap Ads in Discover content'].map((name) =>
    products.find((p: { name: string }) => p.name === name),
  );
  const creative = (i: number) => snapCreative(images.url, `trail-snap-${i}`);
  return { agent: live.agent, request: packagedBuy(chosen, creative, ['GB']) };
}

/** What Ads Manager shows of what was made since: campaigns, their squads, ads and creatives. */
function madeSince() {
  const known = new Set(snap.state.objects.keys());
  return () => {
    const fresh = (kind: FakeKind) => snap.state.ofKind(kind).filter((o) => !known.has(o.id));
    const campaigns = fresh('campaign');
    const squads = fresh('adsquad').filter((s) =>
      campaigns.some((c) => c.id === s.fields.campaign_id),
    );
    const ads = fresh('ad').filter((a) => squads.some((s) => s.id === a.fields.ad_squad_id));
    return { campaigns, squads, ads, creatives: fresh('creative') };
  };
}

const down = { request_status: 'ERROR', error_code: 'E5000', debug_message: 'Unavailable' };

describe('a Snap create whose answer was lost', () => {
  it('a campaign made while Snap could not be asked about it is adopted on the retry: one campaign, booked', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      snap.state.loseAnswerOf = 'campaign';
      // The lookup right after (and its one quick second try) meets Snap down too.
      snap.state.failNext(503, down, `/adaccounts/${account}/campaigns`, 'GET');
      snap.state.failNext(503, down, `/adaccounts/${account}/campaigns`, 'GET');
      await bookedOnRetry(agent, request);

      const { campaigns, squads, ads, creatives } = made();
      expect(campaigns).toHaveLength(1);
      // Booked with the adopted campaign: its squads hang under it, and it was set active.
      expect(campaigns[0]!.fields.status).toBe('ACTIVE');
      expect(squads).toHaveLength(2);
      expect(ads).toHaveLength(2);
      expect(creatives).toHaveLength(2);
    } finally {
      await agent.close();
    }
  });

  it('an ad squad made while Snap could not be asked about it is adopted on the retry: one ad squad per package, one ad per creative', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      snap.state.loseAnswerOf = 'adsquad';
      snap.state.failNext(503, down, '/campaigns/', 'GET');
      snap.state.failNext(503, down, '/campaigns/', 'GET');
      await bookedOnRetry(agent, request);

      const { campaigns, squads, ads, creatives } = made();
      expect(campaigns).toHaveLength(1);
      expect(squads.map((s) => s.fields.lifetime_budget_micro).sort()).toEqual([
        400_000_000, 500_000_000,
      ]);
      expect(ads).toHaveLength(2);
      expect(new Set(ads.map((a) => a.fields.ad_squad_id)).size).toBe(2);
      expect(creatives).toHaveLength(2);
      expect(campaigns[0]!.fields.status).toBe('ACTIVE');
    } finally {
      await agent.close();
    }
  });

  it('an ad whose answer was lost is found by name in the same call: booked at once, one ad and one creative per creative', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      snap.state.loseAnswerOf = 'ad';
      const booked = await agent.call('create_media_buy', request);
      expect(booked.isError, JSON.stringify(booked)).toBe(false);

      const { squads, ads, creatives } = made();
      expect(squads).toHaveLength(2);
      expect(ads).toHaveLength(2);
      expect(creatives).toHaveLength(2);
      const lookups = snap.state.calls.filter(
        (c) => c.method === 'GET' && /^\/adsquads\/[^/]+\/ads$/.test(c.path),
      );
      expect(lookups).toHaveLength(1);
    } finally {
      await agent.close();
    }
  });
});
