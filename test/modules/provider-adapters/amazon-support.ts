import type { Harness } from '../../harness.js';
import type { FakeAmazon } from '../../../src/sandbox/fakes/amazon/server.js';
import { adapterStorefront, connectSource } from './support.js';

/** The instance configuration that points the Amazon adapter at the fake. */
export function amazonEnv(fake: FakeAmazon): Record<string, string> {
  return {
    INTERCHANGE_AMAZON_CLIENT_ID: fake.state.options.clientId,
    INTERCHANGE_AMAZON_CLIENT_SECRET: fake.state.options.clientSecret,
    INTERCHANGE_AMAZON_AUTHORIZE_URL: fake.authorizeUrl,
    INTERCHANGE_AMAZON_TOKEN_URL: fake.tokenUrl,
    INTERCHANGE_AMAZON_API_URL: fake.apiUrl,
  };
}

export const amazonStorefront = (h: Harness) => adapterStorefront(h, 'amazon', 'USD');
export const connectAmazon = (h: Harness, sellerKey: string) =>
  connectSource(h, sellerKey, 'amazon');

/** An off-Amazon display creative: image, logo, headline and landing page, on `imageHost`. */
export const amazonCreative = (imageHost: string, creativeId = 'trail-display') => ({
  creative_id: creativeId,
  name: 'Trail season',
  format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'display_image' },
  assets: {
    image: { asset_type: 'image', url: `${imageHost}/trail.png`, width: 1200, height: 628 },
    logo: { asset_type: 'image', url: `${imageHost}/logo.png`, width: 600, height: 100 },
    headline: { asset_type: 'text', content: 'Trail season starts now' },
    click_url: {
      asset_type: 'url',
      url_type: 'clickthrough',
      url: 'https://acmeoutdoor.example/trail',
    },
  },
});
