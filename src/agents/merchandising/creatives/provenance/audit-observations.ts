import type { AuditObservation } from './verifier.js';

/*
 * The audit observations verifiers returned for a buyer's creatives (creative/audit-observation.json:
 * non-blocking, "retained and may be routed to audit review"), kept in this process per buyer
 * and storefront (sandbox scope) and per creative, the latest sync's standing; bounded, the least
 * recently recorded buyer going first. Read back by comply_test_controller's
 * query_provenance_audit_observations only (sandbox/audit-query.ts): public answers do not expose them.
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
