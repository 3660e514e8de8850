import type { Harness } from '../../harness.js';
import type { FakeReddit } from '../../../src/sandbox/fakes/reddit/server.js';
import { adapterStorefront, connectSource } from './support.js';

/** The instance configuration that points the Reddit adapter at the fake. */
export function redditEnv(fake: FakeReddit): Record<string, string> {
  return {
    INTERCHANGE_REDDIT_CLIENT_ID: fake.state.options.clientId,
    INTERCHANGE_REDDIT_CLIENT_SECRET: fake.state.options.clientSecret,
    INTERCHANGE_REDDIT_AUTHORIZE_URL: fake.authorizeUrl,
    INTERCHANGE_REDDIT_API_URL: fake.apiUrl,
  };
}

export const redditStorefront = (h: Harness) => adapterStorefront(h, 'reddit', 'USD');
export const connectReddit = (h: Harness, sellerKey: string) =>
  connectSource(h, sellerKey, 'reddit');

/** A promoted image post: its image, headline and landing page (AdCP assets). */
export const postCreative = {
  creative_id: 'trail-post',
  name: 'Trail season',
  format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'display_image' },
  assets: {
    image: {
      asset_type: 'image',
      url: 'https://cdn.acmeoutdoor.example/trail.jpg',
      width: 1200,
      height: 628,
    },
    headline: { asset_type: 'text', content: 'Gear that keeps up with the trail' },
    click_url: {
      asset_type: 'url',
      url_type: 'clickthrough',
      url: 'https://acmeoutdoor.example/trail',
    },
  },
};
