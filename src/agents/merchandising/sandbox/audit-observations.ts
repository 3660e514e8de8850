import { TestControllerError } from '@adcp/sdk/testing';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';
import type { AuditObservation } from '../creatives/verifier.js';
import { sandboxScope } from '../../../sources/sandbox.js';

/*
 * The audit observations verifiers returned for a buyer's creatives (creative/audit-observation.json:
 * non-blocking, "retained and may be routed to audit review"), kept in this process per buyer
 * and storefront (sandbox scope) and per creative, the latest sync's standing; bounded, the least
 * recently recorded buyer going first. Read back by comply_test_controller's
 * query_provenance_audit_observations only: public answers do not expose them.
 */

export interface AuditObservations {
  record(scope: string, creativeId: string, observations: AuditObservation[]): void;
  of(scope: string, creativeId: string): AuditObservation[] | undefined;
}

export function createAuditObservations(
  limits = { scopes: 1_000, creativesPerScope: 500 },
): AuditObservations {
  const scopes = new Map<string, Map<string, AuditObservation[]>>();
  return {
    record(scope, creativeId, observations) {
      const creatives = scopes.get(scope) ?? new Map<string, AuditObservation[]>();
      scopes.delete(scope);
      scopes.set(scope, creatives);
      const oldest = scopes.keys().next();
      if (scopes.size > limits.scopes && !oldest.done) scopes.delete(oldest.value);
      creatives.delete(creativeId);
      creatives.set(creativeId, observations);
      const first = creatives.keys().next();
      if (creatives.size > limits.creativesPerScope && !first.done) creatives.delete(first.value);
    },
    of: (scope, creativeId) => scopes.get(scope)?.get(creativeId),
  };
}

/**
 * comply_test_controller query_provenance_audit_observations (AdCP 3.1.19): the observations
 * recorded for one of the caller's creatives (none recorded: an empty list). A creative id the
 * caller's library does not hold, another buyer's included, is NOT_FOUND.
 */
export async function queryAuditObservations(
  deps: MerchandisingDeps,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const creativeId = params['creative_id'];
  if (typeof creativeId !== 'string' || creativeId === '')
    throw new TestControllerError('INVALID_PARAMS', 'params.creative_id is required');
  const { storefront, principal } = agentRequest();
  const [held] = await deps.creativeReviews.creativesOf(storefront.id, principal.customerId, [
    creativeId,
  ]);
  if (!held) throw new TestControllerError('NOT_FOUND', `No creative ${creativeId}`);
  const scope = sandboxScope(storefront.id, principal.customerId);
  return {
    success: true,
    creative_id: creativeId,
    audit_observations: deps.auditObservations?.of(scope, creativeId) ?? [],
  };
}
