/*
 * What a source says it can do, as a probe learned it and the storefront cached it on the
 * source's record: every kind's port answers it (InventorySource.capabilities), and the
 * storefront's offer follows it (offer.ts). inventory-sources' REST schema describes the same
 * record (capabilitiesSchema), and probes fill it.
 */

export const capabilityStates = ['supported', 'unsupported', 'unknown'] as const;

/**
 * The AdCP tools a kind Interchange serves itself (a modular source, an ad server, a provider
 * adapter) answers through the storefront, as its self-report declares them.
 */
export const servedSourceTools: readonly string[] = [
  'get_products',
  'list_creative_formats',
  'create_media_buy',
  'update_media_buy',
  'get_media_buys',
  'get_media_buy_delivery',
];
export type CapabilityState = (typeof capabilityStates)[number];

/** What a probe learned, cached on the source. */
export interface CachedCapabilities {
  syntheticManifest: boolean;
  adcpVersion: string | null;
  agentName: string | null;
  tools: string[];
  products: CapabilityState;
  createMediaBuy: CapabilityState;
  updateMediaBuy: CapabilityState;
  signals: CapabilityState;
  wholesaleProducts: CapabilityState;
  channels: string[];
  /** media_buy.portfolio.primary_countries; absent from probes cached before it was read. */
  countries?: string[];
  publisherDomains: string[];
  pricingModels: string[];
  billing: string[];
  authTypes: string[];
  specialisms: string[];
  creativeHasCreativeLibrary: boolean | null;
  /** identity.brand_json_url (AdCP key discovery); absent from probes cached before it was read. */
  brandJsonUrl?: string | null;
  /** media_buy.audience_targeting as the agent declares it (sales-social); absent when it does not. */
  audienceTargeting?: Record<string, unknown>;
  /** media_buy.conversion_tracking as the agent declares it; absent when it does not. */
  conversionTracking?: Record<string, unknown>;
  /** media_buy.frequency_capping as the agent declares it (3.1: it enforces caps); absent when it does not. */
  frequencyCapping?: Record<string, unknown>;
  /**
   * account.sandbox: the agent declares sandbox accounts it honours (no real platform calls or
   * spend under them); absent from probes cached before it was read.
   */
  sandbox?: boolean;
}

/** Probe health, as the operator's readiness diagnostics show it (inventory-sources' healthSchema). */
export interface SourceHealth {
  status: 'healthy' | 'failing' | 'unknown';
  lastProbeAt: string | null;
  lastSuccessAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  latencyMs: number | null;
}
