import type { Harness } from '../../harness.js';
import type { FakeSpotify } from '../../../src/sandbox/fakes/spotify/server.js';
import { adapterStorefront, connectSource } from './support.js';

/** The instance configuration that points the Spotify adapter at the fake. */
export function spotifyEnv(fake: FakeSpotify): Record<string, string> {
  return {
    INTERCHANGE_SPOTIFY_CLIENT_ID: fake.state.options.clientId,
    INTERCHANGE_SPOTIFY_CLIENT_SECRET: fake.state.options.clientSecret,
    INTERCHANGE_SPOTIFY_AUTHORIZE_URL: fake.authorizeUrl,
    INTERCHANGE_SPOTIFY_API_URL: fake.apiUrl,
  };
}

export const spotifyStorefront = (h: Harness) => adapterStorefront(h, 'spotify', 'EUR');
export const connectSpotify = (h: Harness, sellerKey: string) =>
  connectSource(h, sellerKey, 'spotify');

/** A 30-second audio ad (`audio` on `host`) with its companion image, tagline and landing page. */
export const spotifyCreative = (host: string, creativeId = 'trail-audio', audio = 'trail.mp3') => ({
  creative_id: creativeId,
  name: 'Trail season',
  format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'audio_standard_30s' },
  assets: {
    audio: { asset_type: 'audio', url: `${host}/${audio}`, duration_ms: 30_000 },
    companion: { asset_type: 'image', url: `${host}/trail.png`, width: 640, height: 640 },
    tagline: { asset_type: 'text', content: 'Trail season starts now' },
    click_url: {
      asset_type: 'url',
      url_type: 'clickthrough',
      url: 'https://acmeoutdoor.example/trail',
    },
  },
});
