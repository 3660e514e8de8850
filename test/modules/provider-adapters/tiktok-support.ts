import type { Harness } from '../../harness.js';
import type { FakeTikTok } from '../../../src/sandbox/fakes/tiktok/server.js';
import { adapterStorefront, connectSource } from './support.js';

/** The instance configuration that points the TikTok adapter at the fake. */
export function tiktokEnv(fake: FakeTikTok): Record<string, string> {
  return {
    INTERCHANGE_TIKTOK_CLIENT_ID: fake.state.options.appId,
    INTERCHANGE_TIKTOK_CLIENT_SECRET: fake.state.options.secret,
    INTERCHANGE_TIKTOK_AUTHORIZE_URL: fake.authorizeUrl,
    INTERCHANGE_TIKTOK_API_URL: fake.apiUrl,
  };
}

/** A seller whose storefront has a TikTok adapter source `tiktok`, not yet connected. */
export const tiktokStorefront = (h: Harness) => adapterStorefront(h, 'tiktok', 'EUR', 'TikTok Ads');

/** Connects the seller's `tiktok` source through the consent flow; answers the connection view. */
export const connectTikTok = (h: Harness, sellerKey: string) =>
  connectSource(h, sellerKey, 'tiktok');

/** A vertical video creative with its cover image, text and landing page (AdCP assets). */
export const videoCreative = {
  creative_id: 'spring-cut',
  name: 'Spring cut',
  format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'video_standard' },
  assets: {
    video: {
      asset_type: 'video',
      url: 'https://cdn.acmeoutdoor.example/spring.mp4',
      width: 1080,
      height: 1920,
      duration_ms: 15_000,
    },
    cover: {
      asset_type: 'image',
      url: 'https://cdn.acmeoutdoor.example/spring-cover.jpg',
      width: 1080,
      height: 1920,
    },
    caption: { asset_type: 'text', content: 'Spring is on TikTok' },
    click_url: {
      asset_type: 'url',
      url_type: 'clickthrough',
      url: 'https://acmeoutdoor.example/spring',
    },
  },
};
