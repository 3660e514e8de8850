import { agentIdOf } from './agent-id.js';
import { isoDate, isoDateOrNull } from '../../platform/formats.js';
import { displayStatusOf, lifecycleOf } from './lifecycle.js';
import type { DiscoveryCard, StorefrontView } from './schemas.js';
import type { StorefrontRow } from './store.js';

/** What a storefront's view needs of one ACTIVE source (owned by inventory-sources). */
export interface SourceCoverage {
  /** AdCP portfolio primary_channels / primary_countries of the source's last probe. */
  channels: string[];
  countries: string[];
  /** The source answers get_products (probe). */
  sellsProducts: boolean;
}

const union = (lists: string[][]) => [...new Set(lists.flat())].sort();

/** The one mapping from a storefront row (plus its ACTIVE sources) to the wire shape. */
export function storefrontView(row: StorefrontRow, sources: SourceCoverage[]): StorefrontView {
  const status = lifecycleOf({ ...row, activeSourceCount: sources.length });
  const listed = row.marketplaceStatus === 'LISTED';
  const isPaused = row.pausedAt !== null;
  return {
    id: row.id,
    storefrontId: String(row.id),
    platformId: row.platformId,
    agentId: agentIdOf(row.platformId),
    name: row.name,
    description: row.description,
    publisherDomain: row.publisherDomain,
    operatorDomain: row.operatorDomain,
    brandName: row.brandName,
    logoUrl: row.logoUrl,
    brandColors: row.brandColors ?? null,
    website: row.website,
    channels: row.channels,
    regions: row.regions,
    defaultCurrency: row.defaultCurrency,
    supportedLanguages: row.supportedLanguages,
    storefrontType: row.storefrontType,
    creativeApproval: row.creativeApproval,
    mediaBuyApproval: row.mediaBuyApproval,
    deliveryTolerancePercent: Number(row.deliveryTolerancePercent),
    overdeliveryBilling: row.overdeliveryBilling,
    maxProducts: row.maxProducts,
    businessProfile: row.businessProfile ?? null,
    acceptedCountries: row.acceptedCountries ?? null,
    acceptsAllCountries: row.acceptsAllCountries,
    advertisingPolicyDisclosure:
      row.advertisingPolicyDisclosure as StorefrontView['advertisingPolicyDisclosure'],
    demandContactName: row.demandContactName,
    demandContactEmail: row.demandContactEmail,
    paymentCurrencies: row.paymentCurrencies,
    logoBackground: row.logoBackground ?? null,
    status,
    displayStatus: displayStatusOf(status, row.archivedAt, row.pausedAt),
    isPaused,
    pausedAt: isoDateOrNull(row.pausedAt),
    transacting: status === 'TRANSACTING' && !row.archivedAt && !isPaused,
    operatorDomainVerified: false,
    advertisedChannels: union(sources.map((s) => s.channels)),
    advertisedCountries: union(sources.map((s) => s.countries)),
    capabilities: {
      offersCreativeReview: row.creativeApproval === 'manual',
      offersCampaignApproval: row.mediaBuyApproval === 'manual',
      offersProductComposition:
        row.storefrontType === 'composition' && sources.some((s) => s.sellsProducts),
    },
    discoveryCard: discoveryCardOf(row, sources),
    marketplace: {
      reviewStatus: listed ? 'listed' : 'pending_review',
      hidden: row.hidden,
      publiclyVisible: listed && !row.hidden && !row.archivedAt,
      listedAt: isoDateOrNull(row.listedAt),
      hiddenAt: isoDateOrNull(row.hiddenAt),
    },
    customerId: row.customerId,
    activatedAt: isoDateOrNull(row.activatedAt),
    archivedAt: isoDateOrNull(row.archivedAt),
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}

/**
 * The buyer-visible identity and coverage (hosted DiscoveryCard). The operator's own channels
 * and accepted countries win; otherwise the ACTIVE sources' declarations are the evidence.
 * Unknown coverage stays empty, never "everything".
 */
export function discoveryCardOf(row: StorefrontRow, sources: SourceCoverage[]): DiscoveryCard {
  const declared = sources.map((s) => ({
    channels: [...s.channels].sort(),
    countries: [...s.countries].sort(),
    acceptsAllCountries: false,
  }));
  const operatorCountries = row.acceptsAllCountries || row.acceptedCountries !== null;
  const sourceChannels = union(sources.map((s) => s.channels));
  const sourceCountries = union(sources.map((s) => s.countries));
  const channels = row.channels.length ? [...row.channels].sort() : sourceChannels;
  const countries = operatorCountries ? [...(row.acceptedCountries ?? [])].sort() : sourceCountries;
  const sourceState = (pick: (s: SourceCoverage) => string[]) =>
    sources.length === 0 || sources.every((s) => pick(s).length === 0)
      ? ('unknown' as const)
      : sources.every((s) => pick(s).length > 0)
        ? ('declared' as const)
        : ('partial' as const);
  const by = (value: unknown) => (value ? ('operator' as const) : ('unknown' as const));
  return {
    storefrontId: String(row.id),
    platformId: row.platformId,
    storefrontKind: row.storefrontType === 'passthrough' ? 'external_pass_through' : 'managed',
    displayName: row.brandName ?? row.name,
    logoUrl: row.logoUrl,
    logoBackground: row.logoBackground ?? null,
    description: row.description,
    website: row.website,
    brandColors: (row.brandColors as Record<string, string> | null) ?? null,
    channels,
    countries,
    acceptsAllCountries: row.acceptsAllCountries,
    coverageDeclarations: declared,
    // No sectioned Business Rules exist to disclose (docs/hosted-compatibility.md).
    advertisingPolicies: null,
    coverage: {
      channels: row.channels.length ? 'declared' : sourceState((s) => s.channels),
      countries: operatorCountries ? 'declared' : sourceState((s) => s.countries),
    },
    provenance: {
      identity: {
        displayName: 'operator',
        logoUrl: by(row.logoUrl),
        description: by(row.description),
        website: by(row.website),
        brandColors: by(row.brandColors),
      },
      coverage: {
        channels: row.channels.length
          ? 'operator'
          : sourceChannels.length
            ? 'upstream_capabilities'
            : 'unknown',
        countries: operatorCountries
          ? 'operator'
          : sourceCountries.length
            ? 'upstream_capabilities'
            : 'unknown',
      },
      advertisingPolicies: 'unknown',
    },
  };
}
