import type { Harness } from '../../harness.js';
import type { FakePinterest } from '../../../src/sandbox/fakes/pinterest/server.js';
import { adapterStorefront, connectSource } from './support.js';

/** The instance configuration that points the Pinterest adapter at the fake. */
export function pinterestEnv(fake: FakePinterest): Record<string, string> {
  return {
    INTERCHANGE_PINTEREST_CLIENT_ID: fake.state.options.clientId,
    INTERCHANGE_PINTEREST_CLIENT_SECRET: fake.state.options.clientSecret,
    INTERCHANGE_PINTEREST_AUTHORIZE_URL: fake.authorizeUrl,
    INTERCHANGE_PINTEREST_API_URL: fake.apiUrl,
  };
}

export const pinterestStorefront = (h: Harness) => adapterStorefront(h, 'pinterest', 'USD');
export const connectPinterest = (h: Harness, sellerKey: string) =>
  connectSource(h, sellerKey, 'pinterest');

/** A standard Pin creative: its image, title, description and landing page (AdCP assets). */
export const pinCreative = {
  creative_id: 'patio-pin',
  name: 'Patio refresh',
  format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'display_image' },
  assets: {
    image: {
      asset_type: 'image',
      url: 'https://cdn.acmeoutdoor.example/patio.jpg',
      width: 1000,
      height: 1500,
    },
    description: { asset_type: 'text', content: 'Ideas for a patio that lasts all summer' },
    click_url: {
      asset_type: 'url',
      url_type: 'clickthrough',
      url: 'https://acmeoutdoor.example/patio',
    },
  },
};
