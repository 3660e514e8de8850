import { expect } from 'vitest';
import { createCustomer, type Harness, type TestCustomer } from '../../harness.js';
import type { FakeTikTok } from '../../fakes/tiktok/server.js';
import { consentInBrowser, sources } from './support.js';

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
export async function tiktokStorefront(
  h: Harness,
): Promise<{ seller: TestCustomer; id: number; platformId: string }> {
  const seller = await createCustomer(h, { role: 'SELLER' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { defaultCurrency: 'EUR', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
  });
  expect(sf.status, sf.text).toBe(200);
  const created = await h.call('POST', `${sources}/adapter`, {
    key: seller.key,
    body: { provider: 'tiktok', name: 'TikTok Ads', sourceId: 'tiktok' },
  });
  expect(created.status, created.text).toBe(201);
  return { seller, id: sf.body.data.id, platformId: sf.body.data.platformId };
}

/** Connects the seller's `tiktok` source through the consent flow; answers the connection view. */
export async function connectTikTok(h: Harness, sellerKey: string) {
  const started = await h.call('POST', `${sources}/tiktok/adapter/connect`, { key: sellerKey });
  expect(started.status, started.text).toBe(200);
  const page = await consentInBrowser(started.body.data.authorizationUrl);
  expect(page.status, page.text).toBe(200);
  const view = await h.call('GET', `${sources}/tiktok/adapter`, { key: sellerKey });
  expect(view.body.data.status).toBe('CONNECTED');
  return view.body.data;
}

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
