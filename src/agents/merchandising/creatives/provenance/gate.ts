import type { CreativeAsset } from '@adcp/sdk/types';
import type { MerchandisingDeps } from '../../deps.js';
import { speaks31 } from '../../../adcp31/index.js';
import { provenanceRefusal, type ProvenanceRefusal } from './policy.js';
import { policyFor } from './scope.js';
import { verifyProvenance } from './verify.js';
import type { PolicyGate } from './package.js';

/**
 * The creatives of a sync_creatives that the creative policies of the products they can serve
 * on refuse, by creative id (each answered `failed` with its error, and not kept):
 *
 * - which policy: that of the buyer's storefront-sold (sandbox) product the creative is for, the
 *   newest taking its format (scope.ts);
 * - structural checks (provenance.ts) for a sandbox account's creatives, as before 3.1, and for a
 *   3.1 caller's under any account (its seeded products are on its get_products whatever account
 *   it names; a 3.0 caller's live creatives are taken as before);
 * - then, for a 3.1 caller, the claim's truth at the accepted verifiers it names
 *   (verify.ts); their audit observations are recorded for the creatives kept (not
 *   in a dry run, which keeps nothing).
 */
export async function provenanceRefusals(
  deps: MerchandisingDeps,
  creatives: CreativeAsset[],
  account: PolicyGate,
): Promise<Map<string, ProvenanceRefusal>> {
  const refused = new Map<string, ProvenanceRefusal>();
  const v31 = speaks31();
  if (!account.sandbox && !v31) return refused;
  const products = deps.sandbox.products(account.scope);
  if (products.length === 0) return refused;
  for (const [index, creative] of creatives.entries()) {
    const asSent = { ...creative };
    const policy = policyFor(asSent, products);
    if (!policy) continue;
    const structural = provenanceRefusal(asSent, index, policy);
    if (structural) {
      refused.set(creative.creative_id, structural);
      continue;
    }
    if (!v31 || !deps.creativeVerifier || policy.accepted.length === 0) continue;
    const { refusal, observations } = await verifyProvenance(
      asSent,
      index,
      policy,
      deps.creativeVerifier,
    );
    if (refusal) refused.set(creative.creative_id, refusal);
    else if (!account.rehearsal)
      deps.auditObservations?.record(account.scope, creative.creative_id, observations);
  }
  return refused;
}
