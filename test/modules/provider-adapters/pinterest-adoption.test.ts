import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import {
  startFakePinterest,
  type FakePinterest,
} from '../../../src/sandbox/fakes/pinterest/server.js';
import type { FakeKind } from '../../../src/sandbox/fakes/pinterest/state.js';
import { liveStorefront } from './support.js';
import {
  connectPinterest,
  pinCreative,
  pinterestEnv,
  pinterestStorefront,
} from './pinterest-support.js';
import { bookedOnRetry, packagedBuy } from './adoption-support.js';

/*
 * A create Pinterest acted on but whose answer was lost (a 500 after the object was made) is
 * looked up by name, in the same call or on the buyer's retry, never sent twice
 * (buy-objects.ts).
 */

let h: Harness;
let base: string;
let pinterest: FakePinterest;

beforeAll(async () => {
  pinterest = await startFakePinterest({ clientId: '1484362', clientSecret: 'pin-secret-abc123' });
  h = await createHarness(pinterestEnv(pinterest));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  pinterest.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await pinterest?.close();
});

const account = '549755885175';
const ads = `/ad_accounts/${account}`;

/** A live Pinterest storefront and a two-package buy (home feed, search), a Pin each. */
async function twoPackages() {
  const live = await liveStorefront(
    h,
    base,
    pinterestStorefront,
    connectPinterest,
    'Pinterest home feed',
  );
  const { products } = await live.products();
  const chosen = ['Pinterest home feed and related Pins', 'Pinterest search results'].map((name) =>
    products.find((p: { name: string }) => p.name === name),
  );
  const creative = (i: number) => ({ ...pinCreative, creative_id: `patio-pin-${i}` });
  return { agent: live.agent, request: packagedBuy(chosen, creative) };
}

/** What Ads Manager shows of what was made since: campaigns, their ad groups, their ads, Pins. */
function madeSince() {
  const known = new Set(pinterest.state.objects.keys());
  return () => {
    const fresh = (kind: FakeKind) => pinterest.state.ofKind(kind).filter((o) => !known.has(o.id));
    const campaigns = fresh('campaign');
    const adGroups = fresh('ad_group').filter((g) =>
      campaigns.some((c) => c.id === g.fields.campaign_id),
    );
    const ads = fresh('ad').filter((a) => adGroups.some((g) => g.id === a.fields.ad_group_id));
    return { campaigns, adGroups, ads, pins: fresh('pin') };
  };
}

const down = { code: 1, message: 'Internal server error.' };

describe('a Pinterest create whose answer was lost', () => {
  it('a campaign made while Pinterest could not be asked about it is adopted on the retry: one campaign, booked', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      pinterest.state.loseNextAnswer(`${ads}/campaigns`);
      // The lookup right after (and its one quick second try) meets Pinterest down too.
      pinterest.state.failNext(503, down, `${ads}/campaigns`, 'GET');
      pinterest.state.failNext(503, down, `${ads}/campaigns`, 'GET');
      await bookedOnRetry(agent, request);

      const { campaigns, adGroups, ads: madeAds, pins } = made();
      expect(campaigns).toHaveLength(1);
      // Booked with the adopted campaign: its ad groups hang under it, and it was activated.
      expect(campaigns[0]!.fields.status).toBe('ACTIVE');
      expect(adGroups).toHaveLength(2);
      expect(madeAds).toHaveLength(2);
      expect(pins).toHaveLength(2);
    } finally {
      await agent.close();
    }
  });

  it('an ad group made while Pinterest could not be asked about it is adopted on the retry: one ad group per package, one ad per creative', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      pinterest.state.loseNextAnswer(`${ads}/ad_groups`);
      pinterest.state.failNext(503, down, `${ads}/ad_groups`, 'GET');
      pinterest.state.failNext(503, down, `${ads}/ad_groups`, 'GET');
      await bookedOnRetry(agent, request);

      const { campaigns, adGroups, ads: madeAds, pins } = made();
      expect(campaigns).toHaveLength(1);
      expect(adGroups.map((g) => g.fields.budget_in_micro_currency).sort()).toEqual([
        400_000_000, 500_000_000,
      ]);
      expect(madeAds).toHaveLength(2);
      expect(new Set(madeAds.map((a) => a.fields.ad_group_id)).size).toBe(2);
      expect(pins).toHaveLength(2);
      expect(campaigns[0]!.fields.status).toBe('ACTIVE');
    } finally {
      await agent.close();
    }
  });

  it('an ad whose answer was lost is found by name in the same call: booked at once, one ad and one Pin per creative', async () => {
    const { agent, request } = await twoPackages();
    try {
      const made = madeSince();
      pinterest.state.loseNextAnswer(`${ads}/ads`);
      const booked = await agent.call('create_media_buy', request);
      expect(booked.isError, JSON.stringify(booked)).toBe(false);

      const { adGroups, ads: madeAds, pins } = made();
      expect(adGroups).toHaveLength(2);
      expect(madeAds).toHaveLength(2);
      expect(pins).toHaveLength(2);
      const lookups = pinterest.state.calls.filter(
        (c) => c.method === 'GET' && c.path === `${ads}/ads`,
      );
      expect(lookups).toHaveLength(1);
    } finally {
      await agent.close();
    }
  });
});
