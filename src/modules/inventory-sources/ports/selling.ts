import type { StoredSourceRow } from '../store.js';
import { isDraft } from '../store.js';
import { healthOf } from '../views.js';

/*
 * Whether a source can sell now: the one verdict readiness shows the seller (per source, and in
 * its agent_status and agent_auth checks) and the storefront agent obeys (the source registry
 * offers and routes new buys to these sources only). It reads the row alone: the status the
 * operator chose, and the health its kind keeps current (a probe of an agent; the self-report of
 * a kind Interchange serves, which says whether its ad server or provider account is connected).
 */

/** Which readiness check names a source that cannot sell for this reason. */
export type SellingCheck = 'inventory_sources' | 'agent_status' | 'agent_auth' | 'compliance';

export interface SellingReason {
  /**
   * SOURCE_PENDING, SOURCE_DISABLED, SOURCE_DRAFT, SOURCE_REMOVED, NOT_A_SALES_SOURCE,
   * COMPLIANCE_FAILED, NOT_CHECKED, or the failure its health recorded.
   */
  code: string;
  message: string;
  check: SellingCheck;
}

export type SellingVerdict =
  { canTransact: true; reason: null } | { canTransact: false; reason: SellingReason };

const cannot = (code: string, message: string, check: SellingCheck): SellingVerdict => ({
  canTransact: false,
  reason: { code, message, check },
});
const because = (reason: SellingReason): SellingVerdict => ({ canTransact: false, reason });

/**
 * An agent's refusal of the operator's credential, or a served kind's report that its own are
 * missing or refused.
 */
export const isCredentialProblem = (error: { code: string; credentials?: boolean }) =>
  error.code === 'unauthorized' || error.credentials === true;

/**
 * Buyers bring their own credentials: an agent that refuses the operator's probe (the operator
 * holds no token of its own, or an OAuth client only) still sells to buyers who connected.
 */
export function buyersBringCredentials(row: StoredSourceRow): boolean {
  return (
    row.requiresCredentials &&
    (row.authSealed === null || row.authenticationType === 'OAUTH') &&
    row.lastError?.code === 'unauthorized'
  );
}

/** Why the source's health keeps it from selling, whatever its status; null when it may sell. */
function healthProblem(row: StoredSourceRow): SellingReason | null {
  const health = healthOf(row);
  if (health.status === 'healthy' || buyersBringCredentials(row)) return null;
  if (health.status === 'unknown' || !row.lastError) {
    return {
      code: 'NOT_CHECKED',
      message: `${row.name} has not been checked yet`,
      check: 'agent_status',
    };
  }
  const error = row.lastError;
  return {
    code: error.code,
    message: error.message,
    check: isCredentialProblem(error) ? 'agent_auth' : 'agent_status',
  };
}

/**
 * The verdict on one source. `gated`: its latest compliance run failed under the strict policy
 * (the compliance module decides; the verdict only carries it).
 */
export function sellingVerdict(
  row: StoredSourceRow,
  options: { gated?: boolean } = {},
): SellingVerdict {
  if (row.deletedAt !== null) {
    return cannot('SOURCE_REMOVED', `${row.name} was removed`, 'inventory_sources');
  }
  if (row.status === 'DISABLED') {
    return cannot('SOURCE_DISABLED', `${row.name} is DISABLED`, 'inventory_sources');
  }
  if (isDraft(row)) {
    return cannot('SOURCE_DRAFT', `${row.name} has no endpoint yet`, 'inventory_sources');
  }
  // A credential or connection problem is what the seller must fix first, ACTIVE or not.
  const unhealthy = healthProblem(row);
  if (unhealthy && (row.status === 'ACTIVE' || unhealthy.code !== 'NOT_CHECKED')) {
    return because(unhealthy);
  }
  if (row.status !== 'ACTIVE') {
    return cannot(
      'SOURCE_PENDING',
      `${row.name} is PENDING: activate it to sell`,
      'inventory_sources',
    );
  }
  if (row.type !== 'SALES') {
    return cannot('NOT_A_SALES_SOURCE', `${row.name} is a ${row.type} source`, 'inventory_sources');
  }
  if (options.gated) {
    return cannot(
      'COMPLIANCE_FAILED',
      `${row.name} failed its latest compliance run (policy strict)`,
      'compliance',
    );
  }
  return { canTransact: true, reason: null };
}
