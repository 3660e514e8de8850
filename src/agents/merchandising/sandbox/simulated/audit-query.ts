import { TestControllerError } from '@adcp/sdk/testing';
import { agentRequest } from '../../caller.js';
import type { MerchandisingDeps } from '../../deps.js';
import { sandboxScope } from '../../../../sources/sandbox.js';

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
