import { adServers, adServerTypes } from '../../source-kinds/ad-server/descriptor.js';
import type { Sandbox } from './start.js';

/**
 * What the sandbox offers to connect, one source per kind, each named and described as a
 * sandbox so the seller never mistakes it for a real ad server: the name shows in the source
 * list, on the source page and beside every order placed through it; products made from it say
 * so in their names and descriptions.
 */
export const adServerKinds = adServerTypes.map((type) => adServers[type].slug);
/** Provider adapters, connected through the fake's OAuth consent (their `provider` values). */
export const adapterKinds = [
  'meta',
  'google',
  'tiktok',
  'pinterest',
  'reddit',
  'snap',
  'spotify',
  'amazon',
] as const;
export const sandboxKinds = [...adServerKinds, ...adapterKinds] as const;
export type SandboxKind = (typeof sandboxKinds)[number];
export type AdServerKind = (typeof adServerKinds)[number];
export type AdapterKind = (typeof adapterKinds)[number];

export const isAdapterKind = (kind: SandboxKind): kind is AdapterKind =>
  (adapterKinds as readonly string[]).includes(kind);

export const sandboxLabel = 'Sandbox';
const note = 'Sandbox: a local fake of the provider, nothing is delivered or billed';

const adapterNames: Record<AdapterKind, string> = {
  meta: 'Meta',
  google: 'Google Ads',
  tiktok: 'TikTok',
  pinterest: 'Pinterest',
  reddit: 'Reddit',
  snap: 'Snap',
  spotify: 'Spotify',
  amazon: 'Amazon Ads',
};

/** What each kind is called: an ad server by its kind's descriptor, a provider here. */
export const sandboxKindName = (kind: SandboxKind): string =>
  isAdapterKind(kind)
    ? adapterNames[kind]
    : (adServerTypes.map((type) => adServers[type]).find((s) => s.slug === kind)?.name ?? kind);

/** The source id each kind is connected as on the seller's storefront. */
export const sandboxSourceId = (kind: SandboxKind) => `sandbox-${kind}`;
export const sandboxSourceName = (kind: SandboxKind) =>
  `${sandboxLabel} · ${sandboxKindName(kind)}`;

/** The fake Ad Manager network a storefront gets: one of its own, so no seller sees another's orders. */
export const sandboxNetworkCode = (storefrontId: number) =>
  `77${String(storefrontId).padStart(8, '0')}`;

/**
 * The body of `PUT …/inventory-sources/{sourceId}/ad-server` that connects an ad-server kind
 * to its fake (the hosted config shapes, with the fake's own credentials).
 */
export function adServerBody(
  sandbox: Sandbox,
  kind: AdServerKind,
  storefrontId: number,
): Record<string, unknown> {
  const common = {
    name: sandboxSourceName(kind),
    publisherDomain: 'sandbox-publisher.example',
    rateCard: { defaultCpm: 15, currency: 'USD' },
  };
  if (kind === 'freewheel') {
    return {
      ...common,
      type: 'freewheel',
      clientId: 'interchange-client',
      clientSecret: 'fw-client-secret',
      // The fake FreeWheel's site sections 501 and 502.
      products: videoProducts('Homepage video', 'Sports video', ['olv', 'ctv']),
    };
  }
  if (kind === 'springserve') {
    return {
      ...common,
      type: 'springserve',
      email: 'ops+api@sportsnews.example',
      password: 'correct horse battery',
      // The fake SpringServe's supply tags 501 (browsers) and 502 (the connected-TV app).
      products: videoProducts('Homepage preroll', 'Sports preroll', ['olv', 'ctv']),
    };
  }
  const networkCode = sandboxNetworkCode(storefrontId);
  if (!sandbox.gam.networks.has(networkCode)) sandbox.gam.addNetwork(networkCode, 24);
  return {
    ...common,
    type: 'google_ad_manager',
    networkCode,
    serviceAccountKey: sandbox.gam.serviceAccount([networkCode]),
    products: [
      {
        productId: 'sandbox_sports_display',
        name: `${sandboxLabel} · Sports display`,
        description: `${note}. Sports section placement, sports readers.`,
        placementIds: ['502'],
        keyValues: { section: ['sports'] },
        cpm: 12,
      },
      {
        productId: 'sandbox_homepage_display',
        name: `${sandboxLabel} · Homepage display`,
        description: `${note}. Homepage slots.`,
        placementIds: ['501'],
        cpm: 18,
      },
    ],
  };
}

/**
 * The video products of a video ad server's fake: its placements 501 (homepage) and 502
 * (sports), named and described as sandbox products the way the Ad Manager ones are.
 */
function videoProducts(homepage: string, sports: string, channels: string[]) {
  const video = { mediaType: 'video', channels, videoDurations: [15, 30] };
  return [
    {
      productId: 'sandbox_sports_video',
      name: `${sandboxLabel} · ${sports}`,
      description: `${note}. Sports section video, sports viewers.`,
      placementIds: ['502'],
      cpm: 24,
      ...video,
    },
    {
      productId: 'sandbox_homepage_video',
      name: `${sandboxLabel} · ${homepage}`,
      description: `${note}. Homepage video.`,
      placementIds: ['501'],
      cpm: 28,
      ...video,
    },
  ];
}

/** The body of `POST …/inventory-sources/adapter` that adds a provider's adapter source. */
export const adapterSourceBody = (kind: AdapterKind) => ({
  provider: kind,
  name: sandboxSourceName(kind),
  sourceId: sandboxSourceId(kind),
});
