import type { LifecycleStatus } from './schemas.js';

/**
 * The storefront lifecycle, derived from state so it can never disagree with it:
 * - UNCLAIMED: provisioned (e.g. by a platform admin) and not yet saved by its owner;
 * - VERIFICATION: claimed, but the operator and publisher domains are not both set;
 * - CONFIGURING: identity complete, no ACTIVE inventory source yet;
 * - TESTING: at least one ACTIVE source; the operator can test before going live;
 * - TRANSACTING: the operator went live (POST /api/v2/storefront/activate), which is only
 *   allowed while readiness is `ready`; deactivating returns to the derived stage.
 */
export interface LifecycleInput {
  claimedAt: Date | null;
  operatorDomain: string | null;
  publisherDomain: string | null;
  activatedAt: Date | null;
  activeSourceCount: number;
}

export function lifecycleOf(s: LifecycleInput): LifecycleStatus {
  if (s.activatedAt) return 'TRANSACTING';
  if (!s.claimedAt) return 'UNCLAIMED';
  if (!s.operatorDomain || !s.publisherDomain) return 'VERIFICATION';
  if (s.activeSourceCount === 0) return 'CONFIGURING';
  return 'TESTING';
}

/** Hosted stored-control label: archived wins, then paused (isPaused), then the stage. */
export function displayStatusOf(
  status: LifecycleStatus,
  archivedAt: Date | null,
  pausedAt: Date | null,
): 'configuring' | 'transacting' | 'archived' | 'paused' {
  if (archivedAt) return 'archived';
  if (pausedAt) return 'paused';
  return status === 'TRANSACTING' ? 'transacting' : 'configuring';
}
