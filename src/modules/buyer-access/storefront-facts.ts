import { isoDate } from '../../platform/formats.js';
import { healthOf, type SourceRow, type SourceSummaryRow } from '../inventory-sources/index.js';
import { discoveryCardOf, type StorefrontRow } from '../storefronts/index.js';
import type { CredentialRow } from './store.js';

const union = (lists: string[][]) => [...new Set(lists.flat())].sort();

/** The storefront's own profile fields buyers see in lists and detail (hosted shape). */
export function profileOf(row: StorefrontRow, sources: SourceSummaryRow[]) {
  return {
    brandName: row.brandName,
    logoUrl: row.logoUrl,
    logoBackground: row.logoBackground ?? null,
    description: row.description,
    website: row.website,
    brandColors: (row.brandColors as Record<string, string> | null) ?? null,
    discoveryCard: discoveryCardOf(row, sources.map(coverageOf)),
  };
}

const coverageOf = (s: SourceSummaryRow) => ({
  channels: s.capabilities?.channels ?? [],
  countries: s.capabilities?.countries ?? [],
  sellsProducts: s.capabilities?.products === 'supported',
});

/**
 * What the storefront's sources declared, folded for buyers: a buy is supported when every
 * selling source supports it (a package goes to its own source); sandbox always, since the
 * storefront agent serves sandbox accounts itself. Null until some source has been probed.
 */
export function adcpCapabilitiesOf(sources: SourceSummaryRow[]) {
  const probed = sources.filter((s) => s.type === 'SALES' && s.capabilities !== null);
  if (probed.length === 0) return null;
  const caps = probed.map((s) => s.capabilities as NonNullable<SourceSummaryRow['capabilities']>);
  const every = (test: (c: (typeof caps)[number]) => boolean) => caps.every(test);
  const cachedAt = probed
    .map((s) => s.lastSuccessAt)
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const versions = union(caps.map((c) => (c.adcpVersion ? c.adcpVersion.split(', ') : [])));
  return {
    supportsUpdateMediaBuy: every((c) => c.updateMediaBuy === 'supported'),
    supportsCreateMediaBuy: every((c) => c.createMediaBuy === 'supported'),
    supportsGetReporting: every((c) => c.tools.includes('get_media_buy_delivery')),
    supportsSandbox: true,
    extensions: [],
    protocols: union(versions.map((v) => [`adcp-v${v.split('.')[0]}`])),
    publisherDomains: union(caps.map((c) => c.publisherDomains)),
    channels: union(caps.map((c) => c.channels)),
    countries: union(caps.map((c) => c.countries ?? [])),
    countriesComplete: every((c) => (c.countries ?? []).length > 0),
    channelsComplete: every((c) => c.channels.length > 0),
    version: versions.join(', ') || null,
    reportingDeliveryMethods: null,
    offlineDeliveryProtocols: null,
    // The oldest probe among them: the freshness of the whole answer.
    capabilitiesCachedAt: cachedAt ? isoDate(cachedAt) : null,
  };
}

/** The buyer's accounts across a storefront's sources, one per accountIdentifier. */
export function customerAccountsOf(accounts: CredentialRow[]) {
  const seen = new Map<string, { accountIdentifier: string; status: string }>();
  for (const c of accounts) {
    const known = seen.get(c.accountIdentifier);
    // ACTIVE anywhere wins: the account works for at least one source.
    if (!known || c.status === 'ACTIVE') {
      seen.set(c.accountIdentifier, { accountIdentifier: c.accountIdentifier, status: c.status });
    }
  }
  return [...seen.values()];
}

/**
 * One ACTIVE source's capability diagnostic for buyers (hosted getStorefrontCapabilities), from
 * its cached probe: reachable when the latest probe answered, unreachable when it failed,
 * unavailable before any. Hosts and error text stay with the operator.
 */
export function sourceCapabilityOf(row: SourceRow) {
  const health = healthOf(row);
  const caps = row.capabilities;
  const probeStatus =
    health.status === 'healthy'
      ? 'reachable'
      : health.status === 'failing'
        ? 'unreachable'
        : 'unavailable';
  return {
    sourceId: row.sourceId,
    sourceName: row.name,
    executionType: row.executionType,
    agentName: caps?.agentName ?? null,
    requiresCredentials: row.requiresCredentials,
    probeable: true,
    probeStatus,
    message:
      probeStatus === 'reachable'
        ? null
        : probeStatus === 'unreachable'
          ? `The source did not answer its latest capability probe (${row.lastError?.code ?? 'error'})`
          : 'The source has not been probed yet',
    capabilities:
      caps && probeStatus === 'reachable'
        ? {
            version: caps.adcpVersion ?? '',
            tools: caps.tools,
            protocols: [row.protocol.toLowerCase()],
            features: {},
            publisherDomains: caps.publisherDomains,
            channels: caps.channels,
            ...(caps.countries?.length && { countries: caps.countries }),
            accountResolution: null,
            requireOperatorAuth: row.requiresCredentials,
            defaultBilling: caps.billing[0] ?? null,
            supportedBillings: caps.billing,
            reportingDeliveryMethods: null,
            // Not part of the cached probe; see docs/hosted-compatibility.md.
            sandboxSupported: false,
            synthetic: caps.syntheticManifest,
          }
        : null,
  } as const;
}
