import { isRecord } from '../../../platform/is-record.js';
import { capabilityStates, type CachedCapabilities, type CapabilityState } from '../schemas.js';

/*
 * The capabilities cached on a source, whole by construction. A probed agent's come from its
 * probe (probe-mapping.ts). A kind Interchange serves itself (a modular source, an ad server, a
 * provider adapter) never writes capabilities: it declares what is its own to say, and
 * `servedCapabilities` makes the rest, so a field the wire schema requires cannot be left out.
 * Rows cached before a field existed (or written incomplete by an older release) read whole
 * through `completeCapabilities`, the capabilities column's reader (tables.ts).
 */

/** What a kind served by Interchange says of itself in place of a probe. */
export interface SelfDeclaration {
  /** The name the source goes by (the seller's name for it). */
  agentName: string;
  /** The AdCP tools it answers through the storefront. */
  tools: readonly string[];
  /** AdCP channels it sells now (none before it has inventory). */
  channels: readonly string[];
  /** Publisher domains its products are on. */
  publisherDomains: readonly string[];
  pricingModels: readonly string[];
  /** How the source is authorised upstream (an adapter's delegated OAuth); none by default. */
  authTypes?: readonly string[];
  specialisms?: readonly string[];
  /** media_buy.audience_targeting, when the source takes audiences (sales-social). */
  audienceTargeting?: Record<string, unknown>;
}

const stateOf = (tools: readonly string[], tool: string): CapabilityState =>
  tools.includes(tool) ? 'supported' : 'unsupported';

/** The capabilities of a kind served by Interchange: its declaration, whole. */
export function servedCapabilities(declared: SelfDeclaration): CachedCapabilities {
  const tools = [...declared.tools];
  return {
    // Nothing was inferred from tools in place of a manifest: the kind states what it does.
    syntheticManifest: false,
    adcpVersion: null,
    agentName: declared.agentName,
    tools,
    products: stateOf(tools, 'get_products'),
    createMediaBuy: stateOf(tools, 'create_media_buy'),
    updateMediaBuy: stateOf(tools, 'update_media_buy'),
    signals: stateOf(tools, 'get_signals'),
    wholesaleProducts: 'unsupported',
    channels: [...new Set(declared.channels)].sort(),
    countries: [],
    publisherDomains: [...new Set(declared.publisherDomains)].sort(),
    pricingModels: [...declared.pricingModels],
    billing: [],
    authTypes: [...(declared.authTypes ?? [])],
    specialisms: [...(declared.specialisms ?? [])],
    // Creatives travel inline on the packages of every served kind: no creative library.
    creativeHasCreativeLibrary: false,
    brandJsonUrl: null,
    ...(declared.audienceTargeting && { audienceTargeting: declared.audienceTargeting }),
  };
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const state = (value: unknown): CapabilityState =>
  (capabilityStates as readonly unknown[]).includes(value) ? (value as CapabilityState) : 'unknown';

/**
 * A stored capabilities value read whole: a field it lacks (or holds malformed) reads as unknown
 * (states), empty (lists) or null, never as missing.
 */
export function completeCapabilities(value: unknown): CachedCapabilities {
  const stored = isRecord(value) ? value : {};
  return {
    syntheticManifest: stored['syntheticManifest'] === true,
    adcpVersion: stringOrNull(stored['adcpVersion']),
    agentName: stringOrNull(stored['agentName']),
    tools: strings(stored['tools']),
    products: state(stored['products']),
    createMediaBuy: state(stored['createMediaBuy']),
    updateMediaBuy: state(stored['updateMediaBuy']),
    signals: state(stored['signals']),
    wholesaleProducts: state(stored['wholesaleProducts']),
    channels: strings(stored['channels']),
    countries: strings(stored['countries']),
    publisherDomains: strings(stored['publisherDomains']),
    pricingModels: strings(stored['pricingModels']),
    billing: strings(stored['billing']),
    authTypes: strings(stored['authTypes']),
    specialisms: strings(stored['specialisms']),
    creativeHasCreativeLibrary:
      typeof stored['creativeHasCreativeLibrary'] === 'boolean'
        ? stored['creativeHasCreativeLibrary']
        : null,
    brandJsonUrl: stringOrNull(stored['brandJsonUrl']),
    // Read by compliance: only a source declaring a sandbox it honours is sent the booking storyboards.
    ...(typeof stored['sandbox'] === 'boolean' && { sandbox: stored['sandbox'] }),
    ...(isRecord(stored['audienceTargeting']) && {
      audienceTargeting: stored['audienceTargeting'],
    }),
    ...(isRecord(stored['conversionTracking']) && {
      conversionTracking: stored['conversionTracking'],
    }),
    ...(isRecord(stored['frequencyCapping']) && {
      frequencyCapping: stored['frequencyCapping'],
    }),
  };
}
