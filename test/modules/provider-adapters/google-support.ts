import { expect } from 'vitest';
import type { Harness } from '../../harness.js';
import type { FakeGoogleAds } from '../../../src/sandbox/fakes/google-ads/server.js';
import { adapterStorefront, consentToSource, sources } from './support.js';

/** The instance configuration that points the Google Ads adapter at the fake. */
export function googleEnv(fake: FakeGoogleAds): Record<string, string> {
  return {
    INTERCHANGE_GOOGLE_CLIENT_ID: fake.state.options.clientId,
    INTERCHANGE_GOOGLE_CLIENT_SECRET: fake.state.options.clientSecret,
    INTERCHANGE_GOOGLE_DEVELOPER_TOKEN: fake.state.options.developerToken,
    INTERCHANGE_GOOGLE_AUTHORIZE_URL: fake.authorizeUrl,
    INTERCHANGE_GOOGLE_TOKEN_URL: fake.tokenUrl,
    INTERCHANGE_GOOGLE_REVOKE_URL: fake.revokeUrl,
    INTERCHANGE_GOOGLE_API_URL: fake.apiUrl,
  };
}

/** A seller whose storefront has a Google Ads adapter source `google`, not yet connected. */
export const googleStorefront = (h: Harness) => adapterStorefront(h, 'google', 'USD', 'Google Ads');

/**
 * Connects the seller's `google` source through the consent flow and chooses `accountId`
 * (the direct USD account by default); answers the connection view.
 */
export async function connectGoogle(h: Harness, sellerKey: string, accountId = '1112223333') {
  await consentToSource(h, sellerKey, 'google');
  const chosen = await h.call('PATCH', `${sources}/google/adapter`, {
    key: sellerKey,
    body: { accountId },
  });
  expect(chosen.status, chosen.text).toBe(200);
  expect(chosen.body.data).toMatchObject({ status: 'CONNECTED', action: null });
  return chosen.body.data;
}

/** A display image creative: its image (served by the fake's CDN path), landing page, text. */
export function imageCreative(fake: FakeGoogleAds, creativeId = 'spring-banner') {
  return {
    creative_id: creativeId,
    name: 'Spring banner',
    format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'display_image' },
    assets: {
      image: {
        asset_type: 'image',
        url: `${fake.url}/cdn/${creativeId}.png`,
        width: 300,
        height: 250,
      },
      click_url: {
        asset_type: 'url',
        url_type: 'clickthrough',
        url: 'https://acmeoutdoor.example/spring',
      },
    },
  };
}
