import type { Sandbox } from './start.js';

/**
 * What the sandbox offers to connect, one source per kind, each named and described as a
 * sandbox so the seller never mistakes it for a real ad server: the name shows in the source
 * list, on the source page and beside every order placed through it; products made from it say
 * so in their names and descriptions.
 */
export const sandboxKinds = ['gam', 'freewheel', 'springserve', 'meta'] as const;
export type SandboxKind = (typeof sandboxKinds)[number];

export const sandboxLabel = 'Sandbox';
const note = 'Sandbox: a local fake of the provider, nothing is delivered or billed';

export const sandboxKindNames: Record<SandboxKind, string> = {
  gam: 'Google Ad Manager',
  freewheel: 'FreeWheel',
  springserve: 'SpringServe',
  meta: 'Meta',
};

/** The source id each kind is connected as on the seller's storefront. */
export const sandboxSourceId = (kind: SandboxKind) => `sandbox-${kind}`;
export const sandboxSourceName = (kind: SandboxKind) =>
  `${sandboxLabel} · ${sandboxKindNames[kind]}`;

/** The fake Ad Manager network a storefront gets: one of its own, so no seller sees another's orders. */
export const sandboxNetworkCode = (storefrontId: number) =>
  `77${String(storefrontId).padStart(8, '0')}`;

/**
 * The body of `PUT …/inventory-sources/{sourceId}/ad-server` that connects an ad-server kind
 * to its fake (the hosted config shapes, with the fake's own credentials).
 */
export function adServerBody(
  sandbox: Sandbox,
  kind: Exclude<SandboxKind, 'meta'>,
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
    };
  }
  if (kind === 'springserve') {
    return {
      ...common,
      type: 'springserve',
      email: 'ops+api@sportsnews.example',
      password: 'correct horse battery',
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

/** The body of `POST …/inventory-sources/adapter` that adds the Meta adapter source. */
export const metaSourceBody = () => ({
  provider: 'meta',
  name: sandboxSourceName('meta'),
  sourceId: sandboxSourceId('meta'),
});
