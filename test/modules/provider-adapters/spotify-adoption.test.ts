import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startImageHost, type ImageHost } from '../../fakes/image-host.js';
import { startFakeSpotify, type FakeSpotify } from '../../../src/sandbox/fakes/spotify/server.js';
import { liveStorefront } from './support.js';
import {
  connectSpotify,
  spotifyCreative,
  spotifyEnv,
  spotifyStorefront,
} from './spotify-support.js';
import { bookedOnRetry, packagedBuy } from './adoption-support.js';

/*
 * Spotify's lost answers are adopted in the same call (spotify.test.ts); here the lookup after
 * one fails too, and the buyer's retry must still adopt rather than create (buy-objects.ts).
 */

let h: Harness;
let base: string;
let spotify: FakeSpotify;
let host: ImageHost;

beforeAll(async () => {
  spotify = await startFakeSpotify({
    clientId: 'spotify-client-1',
    clientSecret: 'spot-secret-42',
  });
  host = await startImageHost();
  h = await createHarness(spotifyEnv(spotify));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  spotify.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await spotify?.close();
  await host?.close();
});

const active = '5b1d3f6e-2f9a-4c47-8a51-1f0e5c2a7b01';
const down = { status: 503, body: { error: { code: 'UNAVAILABLE' } } };

describe('a Spotify create whose answer was lost', () => {
  it('a campaign made while Spotify could not be asked about it is adopted on the retry: one campaign, booked', async () => {
    const live = await liveStorefront(
      h,
      base,
      spotifyStorefront,
      connectSpotify,
      'Spotify audio ads in podcasts',
    );
    try {
      const [product] = (await live.products()).products;
      const request = packagedBuy([product], (i) => spotifyCreative(host.url, `trail-${i}`), [
        'DE',
      ]);
      const campaigns = spotify.state.ofKind('campaign').length;
      const adSets = spotify.state.ofKind('ad_set').length;
      spotify.state.failNext({
        status: 502,
        body: { error: { code: 'BAD_GATEWAY' } },
        match: `POST /ad_accounts/${active}/campaigns`,
        afterActing: true,
      });
      // The lookup right after (and its one quick second try) meets Spotify down too.
      spotify.state.failNext({ ...down, match: `GET /ad_accounts/${active}/campaigns` });
      spotify.state.failNext({ ...down, match: `GET /ad_accounts/${active}/campaigns` });
      await bookedOnRetry(live.agent, request);

      expect(spotify.state.ofKind('campaign')).toHaveLength(campaigns + 1);
      const campaign = spotify.state.ofKind('campaign').at(-1)!;
      expect(campaign.fields.status).toBe('ACTIVE');
      const made = spotify.state.ofKind('ad_set').slice(adSets);
      expect(made).toHaveLength(1);
      expect(made[0]!.fields.campaign_id).toBe(campaign.id);
    } finally {
      await live.agent.close();
    }
  });
});
