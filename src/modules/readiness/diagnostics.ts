import type { ActivityEntry } from '../activity/index.js';
import type { SourceCompliance } from '../compliance/index.js';
import {
  healthOf,
  type ProductIssue,
  sellingVerdict,
  type StoredSourceRow as SourceRow,
} from '../inventory-sources/index.js';
import type { Readiness, SourceDiagnostic } from './schemas.js';

/**
 * Per-source diagnostics. Capability states come from the cached probe; a source never probed
 * successfully (or with a synthetic manifest already mapped to unknown) reports unknown, never
 * unsupported.
 */
export function sourceDiagnostic(
  row: SourceRow,
  storefrontType: 'composition' | 'passthrough',
  lastActivity: ActivityEntry | undefined,
  compliance: SourceCompliance,
  invalidProducts: ProductIssue[],
): SourceDiagnostic {
  const caps = row.capabilities;
  const health = healthOf(row);
  // The verdict the storefront agent obeys: what readiness says here is what buyers are offered.
  const selling = sellingVerdict(row, { gated: compliance.gated });
  return {
    id: String(row.id),
    sourceId: row.sourceId,
    name: row.name,
    executionType: row.executionType,
    sourceStatus: row.status,
    canTransact: selling.canTransact,
    cannotTransact: selling.reason && {
      code: selling.reason.code,
      message: selling.reason.message,
    },
    agentId: row.agentId,
    // Hosted: a deprecated projection of sourceStatus; the probe verdict is health.status.
    agentStatus: row.status,
    endpointUrl: row.endpointUrl,
    protocol: row.protocol,
    auth: {
      required: row.authenticationType !== 'NO_AUTH',
      configured: row.authSealed !== null,
      type: row.authenticationType,
    },
    capabilities: {
      products: caps?.products ?? 'unknown',
      createMediaBuy: caps?.createMediaBuy ?? 'unknown',
      updateMediaBuy: caps?.updateMediaBuy ?? 'unknown',
      signals: caps?.signals ?? 'unknown',
      wholesaleProducts: caps?.wholesaleProducts ?? 'unknown',
    },
    productBuilder: {
      mode: caps ? (storefrontType === 'passthrough' ? 'passthrough' : 'composition') : 'unknown',
      wholesaleProductCount: null,
      signalCount: null,
      catalogCacheCold: true,
      declaredUnsupportedIngredients: caps
        ? (['products', 'createMediaBuy'] as const).filter((k) => caps[k] === 'unsupported')
        : [],
    },
    compliance,
    invalidProducts,
    health: {
      status: health.status,
      lastProbeAt: health.lastProbeAt,
      lastSuccessAt: health.lastSuccessAt,
      lastError: health.lastError,
      latencyMs: health.latencyMs,
      lastCallError: row.lastCallError ?? null,
    },
    debug: {
      version: caps?.adcpVersion ?? null,
      syntheticCapabilities: caps?.syntheticManifest ?? false,
      tools: caps?.tools ?? [],
      supportedBillings: caps?.billing ?? [],
      channels: caps?.channels ?? [],
      publisherDomains: caps?.publisherDomains ?? [],
      requireOperatorAuth: row.authenticationType !== 'NO_AUTH' && !row.requiresCredentials,
      creativeHasCreativeLibrary: caps?.creativeHasCreativeLibrary ?? null,
    },
    lastActivity: lastActivity
      ? {
          action: lastActivity.action,
          resourceType: lastActivity.resourceType,
          resourceId: lastActivity.resourceId,
          resourceName: lastActivity.resourceName,
          outcome: lastActivity.outcome,
          description: lastActivity.description,
          timestamp: lastActivity.timestamp,
        }
      : null,
  };
}

/**
 * Which setup fits: one source answering products suggests passthrough (proxy it as is);
 * several suggest composition. Null when nothing has been probed yet (a cold cache).
 */
export function setupModeOf(
  sources: SourceRow[],
  storefrontType: 'composition' | 'passthrough',
): Readiness['setupMode'] {
  const live = sources.filter((s) => s.status !== 'DISABLED');
  const known = live.filter((s) => s.capabilities !== null);
  if (live.length > 0 && known.length === 0) return null;
  const productSources = known.filter((s) => s.capabilities?.products === 'supported');
  const mode = storefrontType;
  let recommendation: 'composition' | 'passthrough' | 'mixed' | 'undecided';
  let rationale: string;
  if (productSources.length === 0) {
    recommendation = 'undecided';
    rationale = 'No source answers get_products yet';
  } else if (productSources.length === 1) {
    recommendation = 'passthrough';
    rationale = 'One product source: proxying it keeps its catalogue as the seller built it';
  } else {
    recommendation = 'composition';
    rationale = `${productSources.length} product sources: compose them into one catalogue`;
  }
  return {
    current: storefrontType,
    sources: live.map((s) => ({
      sourceId: s.sourceId,
      mode: s.capabilities ? mode : ('unknown' as const),
    })),
    managedSalesAgents: [],
    composition: {
      required: storefrontType === 'composition',
      sourceCount: mode === 'composition' ? known.length : 0,
    },
    passthrough: { sourceCount: mode === 'passthrough' ? known.length : 0 },
    unknown: { sourceCount: live.length - known.length },
    recommendation,
    rationale,
  };
}
