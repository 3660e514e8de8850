/**
 * The wired providers of seed 003's table, by their `provider` value. A sales adapter sells a
 * storefront's buys into the provider's ad account; a creative adapter makes creatives for the
 * others. `built` says whether this instance has an adapter for it: the rest are names only,
 * refused when an operator tries to create a source of them. AudioStack, the creative adapter,
 * is no source: buyers connect their AudioStack key per advertiser and produce audio creatives
 * with it (modules/creative-generation), so it is refused as a source too, saying so.
 */
export const providers = {
  amazon: { name: 'Amazon', role: 'sales', built: true },
  audiostack: { name: 'AudioStack', role: 'creative', built: true },
  google: { name: 'Google Ads', role: 'sales', built: true },
  meta: { name: 'Meta', role: 'sales', built: true },
  pinterest: { name: 'Pinterest', role: 'sales', built: true },
  reddit: { name: 'Reddit', role: 'sales', built: true },
  snap: { name: 'Snap', role: 'sales', built: true },
  spotify: { name: 'Spotify', role: 'sales', built: true },
  tiktok: { name: 'TikTok', role: 'sales', built: true },
} as const;

export type ProviderName = keyof typeof providers;

/** Every provider value, those with an adapter on this instance first. */
export const providerNames = (Object.keys(providers) as ProviderName[]).sort(
  (a, b) => Number(providers[b].built) - Number(providers[a].built),
);

export const isProviderName = (value: string): value is ProviderName => value in providers;

/** The executionType of an adapter-routed source row (declared by inventory-sources). */
export { providerAdapterExecutionType as adapterExecutionType } from '../inventory-sources/index.js';

/** The one redirect URI every provider's OAuth app must allow (docs/adapters.md). */
export const adapterCallbackPath = '/api/v2/storefront/adapters/oauth/callback';
