import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import {
  startFakeAudioStack,
  type FakeAudioStack,
} from '../../../src/sandbox/fakes/audiostack/server.js';
import { startImageHost, type ImageHost } from '../../fakes/image-host.js';
import { startFakeSpotify, type FakeSpotify } from '../../../src/sandbox/fakes/spotify/server.js';
import { buyerWithAdvertiser } from '../buying/buying-support.js';
import { liveStorefront } from '../provider-adapters/support.js';
import {
  connectSpotify,
  spotifyCreative,
  spotifyEnv,
  spotifyStorefront,
} from '../provider-adapters/spotify-support.js';
import { audiostackEnv, connectAudioStack, finished, produce } from './audiostack-support.js';

let h: Harness;
let base: string;
let audiostack: FakeAudioStack;
let spotify: FakeSpotify;
let host: ImageHost;

beforeAll(async () => {
  audiostack = await startFakeAudioStack();
  spotify = await startFakeSpotify({
    clientId: 'spotify-client-1',
    clientSecret: 'spot-secret-42',
  });
  host = await startImageHost();
  h = await createHarness({ ...spotifyEnv(spotify), ...audiostackEnv(audiostack) });
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  spotify.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  await h.services.jobs.start();
}, 120_000);
afterAll(async () => {
  await h?.close();
  await Promise.all([audiostack?.close(), spotify?.close(), host?.close()]);
});

describe('an audio creative produced at AudioStack', () => {
  it('is booked as the audio of a Spotify audio ad through a storefront over MCP', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const apiKey = `as-live-key-${randomUUID()}`;
    audiostack.state.keys.add(apiKey);
    await connectAudioStack(h, buyer.key, advertiserId, apiKey);
    const asked = await produce(h, buyer.key, advertiserId);
    const done = await finished(h, buyer.key, advertiserId, asked.id);
    expect(done.status, JSON.stringify(done)).toBe('READY');

    const { agent, products } = await liveStorefront(
      h,
      base,
      spotifyStorefront,
      connectSpotify,
      'Spotify audio ads in music',
    );
    try {
      const found = await products();
      expect(found.isError, JSON.stringify(found)).toBe(false);
      const music = found.products[0];
      const creative = spotifyCreative(host.url, 'trail-audio-produced');
      creative.assets.audio = {
        asset_type: 'audio',
        url: done.asset.public_url,
        duration_ms: 30_000,
      };
      const bought = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' },
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: music.product_id,
            pricing_option_id: music.pricing_options[0].pricing_option_id,
            budget: 500,
            targeting_overlay: { geo_countries: ['DE'] },
            creatives: [creative],
          },
        ],
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      // Spotify took AudioStack's MP3, read from the asset's signed link, as the ad's audio.
      const audio = spotify.state.ofKind('asset').find((a) => a.fields.asset_type === 'AUDIO');
      expect(audio!.file).toEqual({ bytes: audiostack.state.fileBytes, type: 'audio/mpeg' });
      const [ad] = spotify.state.ofKind('ad');
      expect((ad!.fields.assets as { asset_id: string }).asset_id).toBe(audio!.id);
      expect(h.rawLogs()).not.toContain(apiKey);
    } finally {
      await agent.close();
    }
  });
});
