import type { Harness } from '../../harness.js';
import type { FakeSnap } from '../../../src/sandbox/fakes/snap/server.js';
import { adapterStorefront, connectSource } from './support.js';

/** The instance configuration that points the Snap adapter at the fake. */
export function snapEnv(fake: FakeSnap): Record<string, string> {
  return {
    INTERCHANGE_SNAP_CLIENT_ID: fake.state.options.clientId,
    INTERCHANGE_SNAP_CLIENT_SECRET: fake.state.options.clientSecret,
    INTERCHANGE_SNAP_AUTHORIZE_URL: fake.authorizeUrl,
    INTERCHANGE_SNAP_API_URL: fake.apiUrl,
    INTERCHANGE_SNAP_CONVERSIONS_URL: fake.conversionsUrl,
  };
}

export const snapStorefront = (h: Harness) => adapterStorefront(h, 'snap', 'GBP');
export const connectSnap = (h: Harness, sellerKey: string) => connectSource(h, sellerKey, 'snap');

/** A vertical image Snap Ad with its headline and landing page, its image on `imageHost`. */
export const snapCreative = (imageHost: string, creativeId = 'trail-snap') => ({
  creative_id: creativeId,
  name: 'Trail season',
  format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'display_image' },
  assets: {
    image: { asset_type: 'image', url: `${imageHost}/trail.png`, width: 1080, height: 1920 },
    headline: { asset_type: 'text', content: 'Trail season starts now' },
    click_url: {
      asset_type: 'url',
      url_type: 'clickthrough',
      url: 'https://acmeoutdoor.example/trail',
    },
  },
});
