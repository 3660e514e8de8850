import { randomBytes } from 'node:crypto';
import { startFakeAmazon } from '../../sandbox/fakes/amazon/server.js';
import { startFakeAudioStack } from '../../sandbox/fakes/audiostack/server.js';
import { startFakeGoogleAds } from '../../sandbox/fakes/google-ads/server.js';
import { startFakeMeta, type FakeMeta } from '../../sandbox/fakes/meta/server.js';
import { startFakePinterest } from '../../sandbox/fakes/pinterest/server.js';
import { startFakeReddit } from '../../sandbox/fakes/reddit/server.js';
import { startFakeSnap } from '../../sandbox/fakes/snap/server.js';
import { startFakeSpotify } from '../../sandbox/fakes/spotify/server.js';
import { startFakeTikTok } from '../../sandbox/fakes/tiktok/server.js';

/*
 * The provider fakes the sandbox runs: every wired sales provider (Meta, Google Ads, TikTok,
 * Pinterest, Reddit, Snap, Spotify, Amazon), each with an OAuth app of its own made up here, and
 * AudioStack for buyers' audio creatives. What comes back is the configuration that points the
 * instance's adapters at them (the same variables an operator sets for the real providers).
 */

/** The API key the fake AudioStack takes: a buyer connects it to an advertiser to make audio. */
export const sandboxAudioStackKey = 'sandbox-audiostack-key';

export interface ProviderFakes {
  meta: FakeMeta;
  audiostackUrl: string;
  env: Record<string, string>;
  origins: string[];
  close(): Promise<void>;
}

const secret = () => randomBytes(16).toString('hex');

export async function startProviderFakes(): Promise<ProviderFakes> {
  const [meta, google, tiktok, pinterest, reddit, snap, spotify, amazon, audiostack] =
    await Promise.all([
      startFakeMeta({ clientId: 'sandbox-meta-app', clientSecret: secret() }),
      startFakeGoogleAds({
        clientId: 'sandbox-google-ads.apps.example',
        clientSecret: secret(),
        developerToken: `sandbox-dev-${secret()}`,
      }),
      startFakeTikTok({ appId: 'sandbox-tiktok-app', secret: secret() }),
      startFakePinterest({ clientId: 'sandbox-pinterest-app', clientSecret: secret() }),
      startFakeReddit({ clientId: 'sandbox-reddit-app', clientSecret: secret() }),
      startFakeSnap({ clientId: 'sandbox-snap-app', clientSecret: secret() }),
      startFakeSpotify({ clientId: 'sandbox-spotify-app', clientSecret: secret() }),
      startFakeAmazon({ clientId: 'sandbox-amazon-app', clientSecret: secret() }),
      startFakeAudioStack(),
    ]);
  audiostack.state.keys.add(sandboxAudioStackKey);
  const app = (prefix: string, fake: { authorizeUrl: string; apiUrl: string }) => ({
    [`INTERCHANGE_${prefix}_AUTHORIZE_URL`]: fake.authorizeUrl,
    [`INTERCHANGE_${prefix}_API_URL`]: fake.apiUrl,
  });
  const client = (prefix: string, options: { clientId: string; clientSecret: string }) => ({
    [`INTERCHANGE_${prefix}_CLIENT_ID`]: options.clientId,
    [`INTERCHANGE_${prefix}_CLIENT_SECRET`]: options.clientSecret,
  });
  const fakes = [meta, google, tiktok, pinterest, reddit, snap, spotify, amazon, audiostack];
  return {
    meta,
    audiostackUrl: audiostack.url,
    env: {
      ...client('META', meta.state.options),
      ...app('META', meta),
      ...client('GOOGLE', google.state.options),
      ...app('GOOGLE', google),
      INTERCHANGE_GOOGLE_DEVELOPER_TOKEN: google.state.options.developerToken,
      INTERCHANGE_GOOGLE_TOKEN_URL: google.tokenUrl,
      INTERCHANGE_GOOGLE_REVOKE_URL: google.revokeUrl,
      INTERCHANGE_TIKTOK_CLIENT_ID: tiktok.state.options.appId,
      INTERCHANGE_TIKTOK_CLIENT_SECRET: tiktok.state.options.secret,
      ...app('TIKTOK', tiktok),
      ...client('PINTEREST', pinterest.state.options),
      ...app('PINTEREST', pinterest),
      ...client('REDDIT', reddit.state.options),
      ...app('REDDIT', reddit),
      ...client('SNAP', snap.state.options),
      ...app('SNAP', snap),
      INTERCHANGE_SNAP_CONVERSIONS_URL: snap.conversionsUrl,
      ...client('SPOTIFY', spotify.state.options),
      ...app('SPOTIFY', spotify),
      ...client('AMAZON', amazon.state.options),
      ...app('AMAZON', amazon),
      INTERCHANGE_AMAZON_TOKEN_URL: amazon.tokenUrl,
      INTERCHANGE_AUDIOSTACK_API_URL: audiostack.url,
      // Every sales provider above is a fake: their products say "Sandbox".
      INTERCHANGE_SANDBOX_PROVIDERS: 'meta,google,tiktok,pinterest,reddit,snap,spotify,amazon',
    },
    origins: fakes.map((fake) => fake.url),
    close: async () => {
      await Promise.all(fakes.map((fake) => fake.close()));
    },
  };
}
