import { startImageHost, type ImageHost } from '../../fakes/image-host.js';
import { startFakeMeta, type FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import {
  startFakeGoogleAds,
  type FakeGoogleAds,
} from '../../../src/sandbox/fakes/google-ads/server.js';
import { startFakeTikTok, type FakeTikTok } from '../../../src/sandbox/fakes/tiktok/server.js';
import { startFakeAmazon, type FakeAmazon } from '../../../src/sandbox/fakes/amazon/server.js';
import {
  startFakePinterest,
  type FakePinterest,
} from '../../../src/sandbox/fakes/pinterest/server.js';
import { startFakeReddit, type FakeReddit } from '../../../src/sandbox/fakes/reddit/server.js';
import { startFakeSnap, type FakeSnap } from '../../../src/sandbox/fakes/snap/server.js';
import { startFakeSpotify, type FakeSpotify } from '../../../src/sandbox/fakes/spotify/server.js';
import { metaEnv } from './support.js';
import { googleEnv, imageCreative } from './google-support.js';
import { tiktokEnv, videoCreative } from './tiktok-support.js';
import { amazonCreative, amazonEnv } from './amazon-support.js';
import { pinCreative, pinterestEnv } from './pinterest-support.js';
import { postCreative, redditEnv } from './reddit-support.js';
import { snapCreative, snapEnv } from './snap-support.js';
import { spotifyCreative, spotifyEnv } from './spotify-support.js';

/*
 * Every sales provider's fake, started together for one harness, and what a table-driven test
 * needs of each (shared-provider-isolation.test.ts): whose ad account the next consent grants,
 * a creative it takes, and its own records of what was made in which account.
 */

export const salesProviders = [
  'meta',
  'google',
  'tiktok',
  'amazon',
  'pinterest',
  'reddit',
  'snap',
  'spotify',
] as const;
export type SalesProvider = (typeof salesProviders)[number];

/** An object a fake provider holds, with the ad account it is in. */
export type Made = { id: string; kind: string; account: string; fields: unknown };

export interface ProviderCase {
  provider: SalesProvider;
  currency: string;
  brief: string;
  countries: string[];
  /** Two usable ad accounts of different businesses at the fake (seller A's, seller B's). */
  accounts: [string, string];
  /** The next person to consent at the fake has `account` and no other. */
  consentTo(account: string): void;
  creative(): Record<string, unknown>;
  /** Every ad object the fake holds. */
  made(): Made[];
  /** What the fake issued or was given that no answer may show: tokens and the app's secret. */
  secrets(): string[];
}

const keys = (...maps: Array<Map<string, unknown>>) => maps.flatMap((m) => [...m.keys()]);

/** An image ad for Meta (Meta takes the image by its URL). */
const metaCreative = {
  creative_id: 'spring-hero',
  name: 'Spring hero',
  format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'display_image' },
  assets: {
    image: {
      asset_type: 'image',
      url: 'https://cdn.acmeoutdoor.example/hero.jpg',
      width: 1080,
      height: 1080,
    },
    click_url: {
      asset_type: 'url',
      url_type: 'clickthrough',
      url: 'https://acmeoutdoor.example/spring',
    },
  },
};

// Meta, Amazon, Snap and Spotify's fakes hold one usable account: each gains another business's.

function metaCase(meta: FakeMeta): ProviderCase {
  meta.state.adAccounts.push({
    id: 'act_1003',
    name: 'Other Brand Social',
    currency: 'USD',
    account_status: 1,
  });
  return {
    provider: 'meta',
    currency: 'USD',
    brief: 'feed',
    countries: ['US'],
    accounts: ['act_1001', 'act_1003'],
    consentTo: (id) => (meta.state.consentAccounts = [id]),
    creative: () => metaCreative,
    made: () => [...meta.state.objects.values()],
    secrets: () => [...keys(meta.state.tokens), meta.state.options.clientSecret],
  };
}

const googleCase = (google: FakeGoogleAds): ProviderCase => ({
  provider: 'google',
  currency: 'USD',
  brief: 'Display banners on the web',
  countries: ['GB'],
  accounts: ['1112223333', '5550004444'],
  consentTo: (id) => (google.state.consentCustomers = [id]),
  creative: () => imageCreative(google),
  made: () => google.state.objects.map((o) => ({ ...o, account: o.customerId })),
  secrets: () => [
    ...[...google.state.tokens.values()].flatMap((t) => [t.token, t.refreshToken]),
    google.state.options.clientSecret,
    google.state.options.developerToken,
  ],
});

const tiktokCase = (tiktok: FakeTikTok): ProviderCase => ({
  provider: 'tiktok',
  currency: 'EUR',
  brief: 'TikTok feed',
  countries: ['US'],
  accounts: ['7001', '7003'],
  consentTo: (id) => (tiktok.state.consentAdvertisers = [id]),
  creative: () => videoCreative,
  made: () => [...tiktok.state.objects.values()].map((o) => ({ ...o, account: o.advertiserId })),
  secrets: () => [...keys(tiktok.state.tokens), tiktok.state.options.secret],
});

function amazonCase(amazon: FakeAmazon, images: ImageHost): ProviderCase {
  amazon.state.profiles.push({
    profileId: 1_618_033_988_749,
    countryCode: 'US',
    currencyCode: 'USD',
    timezone: 'America/New_York',
    accountInfo: {
      marketplaceStringId: 'ATVPDKIKX0DER',
      id: 'ENTITY1OTHERBRAND',
      type: 'seller',
      name: 'Other Brand',
      validPaymentMethod: true,
    },
  });
  return {
    provider: 'amazon',
    currency: 'USD',
    brief: 'Amazon display for shoppers',
    countries: ['US'],
    accounts: ['3141592653589', '1618033988749'],
    consentTo: (id) => (amazon.state.consentProfiles = [Number(id)]),
    creative: () => amazonCreative(images.url),
    made: () =>
      [...amazon.state.objects.values()].map((o) => ({ ...o, account: String(o.profileId) })),
    secrets: () => [
      ...keys(amazon.state.tokens, amazon.state.refreshTokens),
      amazon.state.options.clientSecret,
    ],
  };
}

const pinterestCase = (pinterest: FakePinterest): ProviderCase => ({
  provider: 'pinterest',
  currency: 'USD',
  brief: 'Pinterest home feed',
  countries: ['GB'],
  accounts: ['549755885175', '549755885177'],
  consentTo: (id) => (pinterest.state.consentAccounts = [id]),
  creative: () => pinCreative,
  made: () => [...pinterest.state.objects.values()].map((o) => ({ ...o, account: o.accountId })),
  secrets: () => [
    ...keys(pinterest.state.tokens, pinterest.state.refreshTokens),
    pinterest.state.options.clientSecret,
  ],
});

const redditCase = (reddit: FakeReddit): ProviderCase => ({
  provider: 'reddit',
  currency: 'USD',
  brief: 'Reddit feed',
  countries: ['US'],
  accounts: ['a2_acme1', 'a2_other'],
  consentTo: (id) => (reddit.state.consentAccounts = [id]),
  creative: () => postCreative,
  made: () => [...reddit.state.objects.values()].map((o) => ({ ...o, account: o.accountId })),
  secrets: () => [
    ...keys(reddit.state.tokens, reddit.state.refreshTokens),
    reddit.state.options.clientSecret,
  ],
});

function snapCase(snap: FakeSnap, images: ImageHost): ProviderCase {
  const org = '0f3e6a52-0000-4d7e-9b8a-2a6f1c9d0e01';
  snap.state.organizations.push({ id: org, name: 'Other Brand' });
  snap.state.accounts.push({
    id: '0f3e6a52-5c1b-4d7e-9b8a-2a6f1c9d0e13',
    name: 'Other Brand Snap Ads',
    currency: 'GBP',
    status: 'ACTIVE',
    organizationId: org,
  });
  return {
    provider: 'snap',
    currency: 'GBP',
    brief: 'Snapchat stories',
    countries: ['GB'],
    accounts: ['8adc3db7-8148-4fbf-999c-8d2266369d74', '0f3e6a52-5c1b-4d7e-9b8a-2a6f1c9d0e13'],
    consentTo: (id) => (snap.state.consentAccounts = [id]),
    creative: () => snapCreative(images.url),
    made: () => [...snap.state.objects.values()].map((o) => ({ ...o, account: o.accountId })),
    secrets: () => [
      ...keys(snap.state.tokens, snap.state.refreshTokens),
      snap.state.options.clientSecret,
    ],
  };
}

function spotifyCase(spotify: FakeSpotify, images: ImageHost): ProviderCase {
  spotify.state.accounts.push({
    id: '5b1d3f6e-2f9a-4c47-8a51-1f0e5c2a7b03',
    name: 'Other Brand Audio',
    currency: 'EUR',
    status: 'ACTIVE',
    industry: 'Retail & Outdoor Gear',
  });
  return {
    provider: 'spotify',
    currency: 'EUR',
    brief: 'Spotify audio ads in podcasts',
    // A Spotify ad set targets one country.
    countries: ['DE'],
    accounts: ['5b1d3f6e-2f9a-4c47-8a51-1f0e5c2a7b01', '5b1d3f6e-2f9a-4c47-8a51-1f0e5c2a7b03'],
    consentTo: (id) => (spotify.state.consentAccounts = [id]),
    creative: () => spotifyCreative(images.url),
    made: () => [...spotify.state.objects.values()].map((o) => ({ ...o, account: o.accountId })),
    secrets: () => [
      ...keys(spotify.state.tokens, spotify.state.refreshTokens),
      spotify.state.options.clientSecret,
    ],
  };
}

/**
 * Starts every sales provider's fake and a host for buyers' images: answers each provider's
 * case, the instance configuration pointing the adapters at the fakes, `allowCallback` (the
 * redirect URI every fake's app allows, once the harness listens) and `close`.
 */
export async function startSalesProviders() {
  const [images, meta, google, tiktok, amazon, pinterest, reddit, snap, spotify] =
    await Promise.all([
      startImageHost(),
      startFakeMeta({ clientId: 'app-123', clientSecret: 'app-secret-xyz' }),
      startFakeGoogleAds({
        clientId: 'gads-client-1.apps.example',
        clientSecret: 'gads-secret-1',
        developerToken: 'dev-token-1-abcdef',
      }),
      startFakeTikTok({ appId: 'tt-app-1', secret: 'tt-secret-123456' }),
      startFakeAmazon({
        clientId: 'amzn1.application-oa2-client.abc',
        clientSecret: 'amzn-secret-7f3k9',
      }),
      startFakePinterest({ clientId: '1484362', clientSecret: 'pin-secret-abc123' }),
      startFakeReddit({ clientId: 'rd-app-7Qx', clientSecret: 'rd-secret-9f3k2' }),
      startFakeSnap({ clientId: 'snap-client-1', clientSecret: 'snap-secret-xyz789' }),
      startFakeSpotify({ clientId: 'spotify-client-1', clientSecret: 'spot-secret-42' }),
    ]);
  const fakes = [meta, google, tiktok, amazon, pinterest, reddit, snap, spotify];
  const cases: Record<SalesProvider, ProviderCase> = {
    meta: metaCase(meta),
    google: googleCase(google),
    tiktok: tiktokCase(tiktok),
    amazon: amazonCase(amazon, images),
    pinterest: pinterestCase(pinterest),
    reddit: redditCase(reddit),
    snap: snapCase(snap, images),
    spotify: spotifyCase(spotify, images),
  };
  return {
    cases,
    env: {
      ...metaEnv(meta),
      ...googleEnv(google),
      ...tiktokEnv(tiktok),
      ...amazonEnv(amazon),
      ...pinterestEnv(pinterest),
      ...redditEnv(reddit),
      ...snapEnv(snap),
      ...spotifyEnv(spotify),
    },
    allowCallback(url: string) {
      for (const fake of fakes) fake.state.options.redirectUris = [url];
    },
    close: () => Promise.all([images, ...fakes].map((fake) => fake.close())),
  };
}

export type SalesProviders = Awaited<ReturnType<typeof startSalesProviders>>;
