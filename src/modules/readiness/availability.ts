import type { StoredSourceRow } from '../inventory-sources/index.js';
import type { StorefrontRow } from '../storefronts/index.js';
import type { Readiness, ReadinessCheck } from './schemas.js';

/**
 * What readiness says about availability, in the hosted API's terms, derived from state
 * (never stored): a storefront can transact when it is not archived, not paused, every blocker
 * is complete, and its operator went live (POST /api/v2/storefront/activate), which is what
 * lets buyers outside its organisation use its agent.
 */
export interface Availability {
  isPaused: boolean;
  canTransact: boolean;
  effectiveStatus: 'archived' | 'paused' | 'blocked' | 'live';
  /** Ids of the incomplete blocker checks, plus `activation` while the operator has not gone live. */
  blockerIds: string[];
}

export function availabilityOf(storefront: StorefrontRow, checks: ReadinessCheck[]): Availability {
  const blockerIds = checks
    .filter((c) => c.isBlocker && c.status !== 'complete' && c.status !== 'optional')
    .map((c) => c.id);
  if (!storefront.activatedAt) blockerIds.push('activation');
  const isPaused = storefront.pausedAt !== null;
  const effectiveStatus = storefront.archivedAt
    ? 'archived'
    : isPaused
      ? 'paused'
      : blockerIds.length > 0
        ? 'blocked'
        : 'live';
  return { isPaused, canTransact: effectiveStatus === 'live', effectiveStatus, blockerIds };
}

/**
 * Onboarding phase: `pass_through` for a passthrough storefront; otherwise crawl (no ACTIVE
 * source yet), walk (sources ACTIVE, not live yet), run (live).
 */
export function phaseOf(
  storefront: StorefrontRow,
  sources: StoredSourceRow[],
  availability: Availability,
): Readiness['phase'] {
  if (storefront.storefrontType === 'passthrough') return 'pass_through';
  if (!sources.some((s) => s.status === 'ACTIVE')) return 'crawl';
  return availability.effectiveStatus === 'live' ? 'run' : 'walk';
}

/**
 * Starter-brief coverage: markets (accepted countries, or the sources' primary countries) by
 * channels (the storefront's, or its sources'). Interchange models no advertiser categories, so
 * `category` is always a missing dimension and no combination is eligible.
 */
export function demandCoverageOf(
  storefront: StorefrontRow,
  sources: StoredSourceRow[],
): Readiness['demandCoverage'] {
  const active = sources.filter((s) => s.status === 'ACTIVE');
  const markets = storefront.acceptsAllCountries
    ? []
    : (storefront.acceptedCountries ??
      [...new Set(active.flatMap((s) => s.capabilities?.countries ?? []))].sort());
  const channels = storefront.channels.length
    ? storefront.channels
    : [...new Set(active.flatMap((s) => s.capabilities?.channels ?? []))].sort();
  const sells = active.some((s) => s.capabilities?.products === 'supported');
  const missing: ('category' | 'market' | 'channel' | 'inventory')[] = ['category'];
  if (markets.length === 0 && !storefront.acceptsAllCountries) missing.push('market');
  if (channels.length === 0) missing.push('channel');
  if (!sells) missing.push('inventory');
  return {
    eligibleCombinations: 0,
    coveredCombinations: 0,
    categories: [],
    markets,
    channels,
    missingDimensions: missing,
    sampleBriefs: [],
  };
}
